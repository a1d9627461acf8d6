#!/usr/bin/env bash
# Benchmark: `opsbook inspect --json` of the ~10,000-page scale corpus against Debian's cmark-gfm
# (-e table -e tasklist) rendering the same files to HTML, in the same run. cmark-gfm gets every
# core opsbook gets (xargs -P, batches of 200 files), so the ratio compares like with like.
# Target (issues 3, 15): opsbook at most 1.5x cmark-gfm's wall time, peak RSS at most 500 MB.
# Two hostile tables follow, each with the time it took before the table guard read them.
#   bench/parse.sh [RUNS]     (default 5; the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
command -v cmark-gfm >/dev/null || { echo "bench: install cmark-gfm (apt-get install cmark-gfm)" >&2; exit 2; }
[ -x build/cli/opsbook ] || scripts/build.sh
if [ ! -d "$corpus" ]; then
  ../shared/corpus/make-corpus.sh ../shared/corpus/gitlab "$corpus" 10000
fi
files=$(mktemp)
trap 'rm -f "$files" "$files".*' EXIT
find "$corpus" -name '*.md' -print0 | sort -z > "$files"
pages=$(tr -cd '\0' < "$files" | wc -c)
cores=$(nproc)
bytes=$(xargs -0 cat < "$files" | wc -c)

# Prints "seconds max_rss_kb" for one run of the command.
measure() {
  /usr/bin/time -f '%e %M' -o "$files.time" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$files.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$files.cmark"; : > "$files.ops"; : > "$files.rss"
for ((i = 0; i < runs; i++)); do
  # Warm page cache is the same for both: each run reads every file once.
  read -r t _ < <(measure xargs -0 -P "$cores" -n 200 -a "$files" cmark-gfm -e table -e tasklist)
  echo "$t" >> "$files.cmark"
  read -r t rss < <(measure build/cli/opsbook inspect --json "$corpus")
  echo "$t" >> "$files.ops"
  echo "$rss" >> "$files.rss"
done
cmark=$(median < "$files.cmark")
ops=$(median < "$files.ops")
rss_mb=$(( $(sort -n "$files.rss" | tail -1) / 1024 ))
ratio=$(awk -v a="$ops" -v b="$cmark" 'BEGIN {printf "%.2f", a / b}')
echo "corpus: $pages pages, $((bytes / 1024 / 1024)) MiB, $cores cores for both, median of $runs runs"
printf '%-48s %8s\n' "" "seconds"
printf '%-48s %8s\n' "cmark-gfm -e table -e tasklist (HTML, -P $cores)" "$cmark"
printf '%-48s %8s   ratio %sx (target <= 1.5x)\n' "opsbook inspect --json" "$ops" "$ratio"
printf '%-48s %8s MB (target <= 500 MB)\n' "opsbook peak RSS" "$rss_mb"
# Hostile tables (issue 14, s6 review B2): a table behind a fence cmark-gfm does not read as one
# (```a`b), and a paragraph of 20,000 delimiter rows that open no table (80 KB).
# And 50,000 request-line spans, or health-check spans in a list item, in one paragraph (690 KB
# and 740 KB; s8: each span read the paragraph again).
python3 - "$files.fenced.md" "$files.rereads.md" "$files.requests.md" "$files.health.md" <<'PY'
import sys
open(sys.argv[1], "w").write("# T\n\n```a`b\na|b\n-|-\n" + "|" * 90000 + "\n\nAfter.\n")
open(sys.argv[2], "w").write("# T\n\na\n" + "".join("-|\n" if k % 2 else "-|-|\n" for k in range(20000)))
open(sys.argv[3], "w").write("# T\n\n## Health\n\n" + " ".join(f"`GET /p{i}`" for i in range(50000)) + "\n")
open(sys.argv[4], "w").write("# T\n\n## Health\n\n- Health checks: " + " ".join(f"`/health{i}`" for i in range(50000)) + "\n")
PY
read -r fenced _ < <(measure build/cli/opsbook inspect --json "$files.fenced.md")
read -r rereads _ < <(measure build/cli/opsbook inspect --json "$files.rereads.md")
read -r requests _ < <(measure build/cli/opsbook inspect --json "$files.requests.md")
read -r health _ < <(measure build/cli/opsbook inspect --json "$files.health.md")
printf '%-48s %8s   (was 2.9 s; target <= 1 s)\n' "hostile: table behind a \`\`\`a\`b line" "$fenced"
printf '%-48s %8s   (was 21.0 s; target <= 1 s)\n' "hostile: 20,000 delimiter rows in one paragraph" "$rereads"
printf '%-48s %8s   (was 83 s; target <= 2 s)\n' "hostile: 50,000 request lines in one paragraph" "$requests"
printf '%-48s %8s   (was 27 s; target <= 2 s)\n' "hostile: 50,000 health spans in one list item" "$health"
awk -v r="$ratio" -v m="$rss_mb" 'BEGIN {exit !(r <= 1.5 && m <= 500)}' && echo "PASS" || { echo "FAIL"; exit 1; }
