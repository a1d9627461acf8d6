#!/usr/bin/env bash
# The main job on the bundled demo content: set up, build opsbook, render content/ into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
echo "== opsbook build: content/ -> site/"
build/cli/opsbook build content -o site
echo "== open the portal: file://$PWD/site/index.html"
