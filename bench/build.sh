#!/usr/bin/env bash
# Benchmark of `opsbook build` on the ~10,000-page scale corpus against Hugo (Debian's hugo, a
# minimal layout with a table of contents written here), in interleaved rounds on a churned disk:
# before each full build the tool's previous output (15,000-25,000 files) is deleted, then the
# disk settles (sync, a pause) and the build runs; opsbook and Hugo take turns. Then incremental
# rebuilds. Prints each round, the medians and the ratios.
# Targets (issue 19): full build <= 0.30 of Hugo at 10,000 pages (<= 0.25 at 50,000, peak RSS
# <= 1.5 GB); rebuild after touching or editing one page <= 5% of the full build.
#   bench/build.sh [ROUNDS]   (default 3)
# Environment: OPSBOOK_SCALE_CORPUS (default /tmp/opsbook-scale), BENCH_OUT (/tmp/opsbook-bench),
# BENCH_SETTLE seconds of pause after deleting (default 5). The machine is shared and noisy: read
# the rounds, not only the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
out=${BENCH_OUT:-/tmp/opsbook-bench}
settle=${BENCH_SETTLE:-5}
[ -x build/cli/opsbook ] || scripts/build.sh
command -v hugo > /dev/null || { echo "bench/build.sh: hugo is not installed (apt-get install hugo)" >&2; exit 2; }
. bench/lib.sh
ensure_corpus "$corpus"
mkdir -p "$out"
pages=$(find "$corpus" -name '*.md' | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
opsbook="$(pwd)/build/cli/opsbook"

# Hugo: the same files, a minimal layout with a table of contents.
hs="$tmp/hugo"
hugo_site "$hs" "$corpus"

# Deletes a previous output, lets the disk settle, then measures the command.
churned() {
  local dir=$1
  shift
  rm -rf "$dir"
  sync
  sleep "$settle"
  measure "$@"
}

site="$out/opsbook-site"
hugo_site="$out/hugo-site"
: > "$tmp/full"; : > "$tmp/hugo-times"; : > "$tmp/rss"; : > "$tmp/hugo-rss"
echo "corpus: $pages pages, $(nproc) cores, output on $(df --output=fstype "$out" | tail -1), $rounds interleaved rounds, ${settle}s settle"
for ((i = 1; i <= rounds; i++)); do
  read -r t rss < <(churned "$site" "$opsbook" build "$corpus" -o "$site" --full)
  echo "$t" >> "$tmp/full"; echo "$rss" >> "$tmp/rss"
  read -r h hrss < <(churned "$hugo_site" hugo --source "$hs" --destination "$hugo_site" --quiet)
  echo "$h" >> "$tmp/hugo-times"; echo "$hrss" >> "$tmp/hugo-rss"
  printf 'round %d: opsbook %6.2f s (%d MB)   hugo %6.2f s (%d MB)   ratio %.2f\n' "$i" "$t" $((rss / 1024)) "$h" $((hrss / 1024)) \
    "$(awk -v a="$t" -v b="$h" 'BEGIN { print a / b }')"
done

# Incremental rebuilds: touch one page (same bytes), then edit it.
sync
page=$(find "$corpus" -name '*.md' | sort | sed -n 100p)
cp "$page" "$tmp/page.bak"
: > "$tmp/touch"; : > "$tmp/edit"
for ((i = 0; i < rounds; i++)); do
  touch "$page"
  read -r t _ < <(measure "$opsbook" build "$corpus" -o "$site")
  echo "$t" >> "$tmp/touch"
  printf '\nEdited by bench run %d.\n' "$i" >> "$page"
  read -r t _ < <(measure "$opsbook" build "$corpus" -o "$site")
  echo "$t" >> "$tmp/edit"
done
cp "$tmp/page.bak" "$page"
touch -d '2000-01-01 00:00:00 UTC' "$page"
"$opsbook" build "$corpus" -o "$site" > /dev/null 2>&1 || true
files=$(find "$site" -type f | wc -l)

full=$(median < "$tmp/full"); hugo_time=$(median < "$tmp/hugo-times")
touched=$(median < "$tmp/touch"); edited=$(median < "$tmp/edit")
rss_mb=$(( $(sort -n "$tmp/rss" | tail -1) / 1024 )); hugo_mb=$(( $(sort -n "$tmp/hugo-rss" | tail -1) / 1024 ))
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
printf '%-50s %10s %12s %8s %8s\n' "figure (medians)" "opsbook" "reference" "ratio" "target"
printf '%-50s %9ss %11ss %8s %8s\n' "full build on a churned disk, vs Hugo" "$full" "$hugo_time" "$(ratio "$full" "$hugo_time")" "<= 0.30"
printf '%-50s %9ss %11ss %8s %8s\n' "rebuild after touching one page, vs full" "$touched" "$full" "$(ratio "$touched" "$full")" "<= 0.05"
printf '%-50s %9ss %11ss %8s %8s\n' "rebuild after editing one page, vs full" "$edited" "$full" "$(ratio "$edited" "$full")" "<= 0.05"
printf '%-50s %8sMB %10sMB %8s %8s\n' "peak RSS of a full build, vs Hugo" "$rss_mb" "$hugo_mb" "$(ratio "$rss_mb" "$hugo_mb")" "1.5 GB"
printf '%-50s %10s %12s\n' "files in the site / in Hugo's" "$files" "$(find "$hugo_site" -type f | wc -l)"
