#!/usr/bin/env bash
# Benchmark: how true the model is on the hand-labelled runbooks (tests/data/labels/): recall,
# precision, safety/language agreement of commands per class, and queries, endpoints, procedure
# steps, per split, each against the 95% target of issues #15/#18.
#   bench/extraction.sh [--show dev] [--write-floor]
# --show dev lists every miss and false positive of the dev split (never tune on holdout);
# --write-floor records today's dev figures as the regression floor the test suite enforces.
set -euo pipefail
cd "$(dirname "$0")/.."
# The shared folder sits beside the checkout or two levels above a worktree.
shared=${OPSBOOK_SHARED_DIR:-../shared}
[ -d "$shared" ] || shared=../../shared
[ -x build/cli/opsbook ] || scripts/build.sh
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --show) args+=(--show "$2"); shift 2 ;;
    --write-floor) args+=(--write-floor bench/extraction-floor.json); shift ;;
    *) echo "usage: bench/extraction.sh [--show dev|holdout] [--write-floor]" >&2; exit 2 ;;
  esac
done
exec python3 bench/extraction_score.py --opsbook build/cli/opsbook --labels tests/data/labels \
  --shared "$shared" --root . "${args[@]}"
