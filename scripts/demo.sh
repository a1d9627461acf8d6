#!/usr/bin/env bash
# The main job on the bundled demo content: set up, build opsbook, start the demo stack
# (PostgreSQL, nginx, Redis on free 127.0.0.1 ports, and a Docker Compose project where Docker
# can run), validate content/ statically and live against it, then render the portal into site/
# with the validation badges. The stacks stop when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
demo=build/demo
mkdir -p "$demo"
# Where Docker can run, a private dockerd with the Compose project of scripts/demo-compose.yml
# runs beside the stack (scripts/docker-stack.sh); elsewhere it says why in one line.
# shellcheck disable=SC2016
scripts/docker-stack.sh run "$demo/docker" scripts/demo-compose.yml shop -- \
scripts/stack.sh run "$demo/stack" -- bash -c '
  set -u
  config=$1/stack/opsbook.yaml report=$1/report.json
  echo "== opsbook check --live: content/ against the demo stack (environment \"local\")"
  build/cli/opsbook --config "$config" check --live content --json "$report"
  rc=$?
  echo "== opsbook run content/orders-database.md#pending-orders (read-only: runs without asking)"
  build/cli/opsbook --config "$config" run content/orders-database.md#pending-orders --transcripts "$1/transcripts" || rc=1
  echo "== opsbook build: content/ -> site/ (badges from $report)"
  build/cli/opsbook build content -o site --report "$report" || exit $?
  echo "== open the portal: file://$PWD/site/index.html"
  exit $rc
' demo "$demo"
