#!/usr/bin/env bash
# The main job on the bundled demo content: install what the demo needs, build opsbook (no test
# binaries), start the demo stack (PostgreSQL, nginx, Redis on free 127.0.0.1 ports, and a Docker
# Compose project where Docker can run), validate content/ statically and live against it, then
# render the portal into site/ with the validation badges. The stacks stop when the script ends;
# the wall time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh
scripts/build.sh -DOPSBOOK_TESTS=OFF
demo=build/demo
mkdir -p "$demo" .opsbook
# Where Docker can run, a private dockerd with the Compose project of scripts/demo-compose.yml
# runs beside the stack (scripts/docker-stack.sh); elsewhere it says why in one line.
# shellcheck disable=SC2016
scripts/docker-stack.sh run "$demo/docker" scripts/demo-compose.yml shop -- \
scripts/stack.sh run "$demo/stack" -- bash -c '
  set -u
  config=$1/stack/opsbook.yaml
  echo "== opsbook check --live: content/ against the demo stack (environment \"local\")"
  build/cli/opsbook --config "$config" check --live content
  rc=$?
  # The report opsbook kept beside the stack opsbook.yaml, with its seal, goes where a plain
  # `opsbook build` (no --config) looks for it afterwards.
  cp "$1/stack/.opsbook/last-check-local.json" "$1/stack/.opsbook/last-check-local.json.seal" .opsbook/ || rc=1
  echo "== opsbook run content/orders-database.md#pending-orders (read-only: runs without asking)"
  build/cli/opsbook --config "$config" run content/orders-database.md#pending-orders || rc=1
  echo "== opsbook build: content/ -> site/ (badges from the check above)"
  build/cli/opsbook build content -o site --env local || exit $?
  echo "== open the portal: file://$PWD/site/index.html  (or: build/cli/opsbook serve content)"
  exit $rc
' demo "$demo" || rc=$?
echo "demo: done in $(( $(date +%s) - start )) s"
exit "${rc:-0}"
