#!/usr/bin/env bash
# The main job on the bundled demo content: set up, build, and read every demo runbook into the
# model (printing a summary and writing the JSON model to site/model.json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p site
echo "== opsbook inspect content/"
build/cli/opsbook inspect content
build/cli/opsbook inspect --json content > site/model.json
echo "== model written to site/model.json ($(wc -c < site/model.json) bytes)"
