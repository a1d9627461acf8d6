#!/usr/bin/env bash
# Benchmark: static `opsbook check` of the ~10,000-page scale corpus against `opsbook inspect
# --json` of the same files (target, issue 5: check without shellcheck <= 2x inspect).
# bash -n runs in batches; the figure with --no-shell shows the rules alone.
#   bench/check.sh [RUNS]   (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
[ -x build/cli/opsbook ] || scripts/build.sh
. bench/lib.sh
ensure_corpus "$corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in inspect check noshell; do : > "$tmp/$name"; done
for ((i = 0; i < runs; i++)); do
  read -r t _ < <(measure build/cli/opsbook inspect --json "$corpus"); echo "$t" >> "$tmp/inspect"
  read -r t rss < <(measure build/cli/opsbook check "$corpus" --format json -o "$tmp/report.json"); echo "$t" >> "$tmp/check"
  read -r t _ < <(measure build/cli/opsbook check "$corpus" --no-shell --format json -o "$tmp/report2.json"); echo "$t" >> "$tmp/noshell"
done
inspect=$(median < "$tmp/inspect"); check=$(median < "$tmp/check"); noshell=$(median < "$tmp/noshell")
findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'], 'errors,', s['warnings'], 'warnings,', s['infos'], 'notes,', s['snippets'], 'snippets')" "$tmp/report.json")
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages, $(nproc) cores, median of $runs runs; report: $findings"
printf '%-46s %8s %10s %8s\n' "figure" "seconds" "reference" "ratio"
printf '%-46s %8s\n' "opsbook inspect --json (reference)" "$inspect"
printf '%-46s %8s %10s %8s   (target <= 2x)\n' "opsbook check (rules + bash -n in batches)" "$check" "$inspect" "$(awk -v a="$check" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
printf '%-46s %8s %10s %8s\n' "opsbook check --no-shell (rules only)" "$noshell" "$inspect" "$(awk -v a="$noshell" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
printf '%-46s %7sMB\n' "peak RSS of check" "$((rss / 1024))"
