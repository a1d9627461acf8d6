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
# The same shell snippets opsbook checks, one file per runbook, for shellcheck alone.
mkdir -p "$tmp/snippets"
{ build/cli/opsbook inspect --json "$corpus" 2>/dev/null || true; } | python3 -c '
import json, sys, os
out = sys.argv[1]
for i, rb in enumerate(json.load(sys.stdin)["runbooks"]):
    code = [s["code"] if not s["inline"] else s["code"] + "\n" for s in rb["snippets"] if s["kind"] == "shell" and (s["lang"] or s["inline"]) and s["lang"] != "zsh"]
    if code:
        open(os.path.join(out, "r%05d.sh" % i), "w").write("\n".join(code))
' "$tmp/snippets"
shellcheck_alone() {
  find "$tmp/snippets" -name '*.sh' -print0 | xargs -0 -n1 -P"$(nproc)" shellcheck -f json1 -s bash -S warning \
    -e SC2154,SC2034,SC1090,SC1091,SC2164,SC2155 > /dev/null 2>&1 || true
}
for name in inspect check noshell noshellcheck shellcheck; do : > "$tmp/$name"; done
for ((i = 0; i < runs; i++)); do
  read -r t _ < <(measure build/cli/opsbook inspect --json "$corpus"); echo "$t" >> "$tmp/inspect"
  read -r t rss < <(measure build/cli/opsbook check "$corpus" --format json -o "$tmp/report.json"); echo "$t" >> "$tmp/check"
  read -r t _ < <(measure build/cli/opsbook check "$corpus" --no-shellcheck --format json -o "$tmp/report3.json"); echo "$t" >> "$tmp/noshellcheck"
  read -r t _ < <(measure build/cli/opsbook check "$corpus" --no-shell --format json -o "$tmp/report2.json"); echo "$t" >> "$tmp/noshell"
  if command -v shellcheck > /dev/null; then
    start=$(date +%s.%N); shellcheck_alone; awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.3f\n", a - b}' >> "$tmp/shellcheck"
  fi
done
inspect=$(median < "$tmp/inspect"); check=$(median < "$tmp/check"); noshell=$(median < "$tmp/noshell")
noshellcheck=$(median < "$tmp/noshellcheck"); alone=$(median < "$tmp/shellcheck")
findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'], 'errors,', s['warnings'], 'warnings,', s['infos'], 'notes,', s['snippets'], 'snippets')" "$tmp/report.json")
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages, $(nproc) cores, median of $runs runs; report: $findings"
printf '%-46s %8s %10s %8s\n' "figure" "seconds" "reference" "ratio"
printf '%-46s %8s\n' "opsbook inspect --json (reference)" "$inspect"
printf '%-46s %8s %10s %8s   (target <= 2x)\n' "opsbook check --no-shellcheck (rules + bash -n)" "$noshellcheck" "$inspect" "$(awk -v a="$noshellcheck" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
printf '%-46s %8s %10s %8s\n' "opsbook check --no-shell (rules only)" "$noshell" "$inspect" "$(awk -v a="$noshell" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
if [ -n "$alone" ]; then
  printf '%-46s %8s\n' "shellcheck alone, once per runbook (reference)" "$(printf '%.2f' "$alone")"
  printf '%-46s %8s %10s %8s   (target <= 1.2x)\n' "opsbook check (rules, bash -n, shellcheck)" "$check" "$(printf '%.2f' "$alone")" "$(awk -v a="$check" -v b="$alone" 'BEGIN {printf "%.2f", a/b}')"
fi
printf '%-46s %7sMB\n' "peak RSS of check" "$((rss / 1024))"
