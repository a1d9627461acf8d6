#!/usr/bin/env bash
# Benchmark of the build caches' seal (SHA-256, libcrypto) on the ~10,000-page scale corpus: the
# caches are ~20 MB (.opsbook-cache) and ~35 MB (.opsbook-search-cache). Per round, read from the
# build's own stage timer (OPSBOOK_TIMING=1):
#   - "up to date": a build with nothing changed: .opsbook-cache mapped, unsealed (its SHA-256
#     checked) and its stamps compared with the 10,000 runbooks;
#   - "cache written": after editing one page: .opsbook-cache serialised, sealed and written;
#   - the whole rebuild after editing one page (both caches unsealed and sealed).
# The reference column is the same figure of OPSBOOK_REFERENCE (another opsbook binary, e.g. one
# built before the seal was SHA-256: its seal was std::hash), measured in the same rounds.
#   bench/cache.sh [ROUNDS]   (default 5)
# Environment: OPSBOOK_SCALE_CORPUS (default /tmp/opsbook-scale), BENCH_OUT (/tmp/opsbook-bench),
# OPSBOOK_REFERENCE (optional). Noisy on a shared machine: read the rounds, not only the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
out=${BENCH_OUT:-/tmp/opsbook-bench}
[ -x build/cli/opsbook ] || scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. bench/lib.sh
ensure_corpus "$corpus"
mkdir -p "$out"
binaries=("$(pwd)/build/cli/opsbook")
[ -n "${OPSBOOK_REFERENCE:-}" ] && binaries+=("$OPSBOOK_REFERENCE")
page=$(find "$corpus" -name '*.md' | sort | sed -n 100p)
cp "$page" "$tmp/page.bak"

# The seconds of stage $1 in the OPSBOOK_TIMING output on stdin (the corpus has broken runbooks:
# builds exit 1).
stage() { awk -v s="$1" 'index($0, "  " s " ") == 1 { print $(NF - 1) }' | tail -1; }

# Binary $1 (site $2, results under $tmp/$3-*): a build with nothing changed.
up_to_date() {
  { OPSBOOK_TIMING=1 "$1" build "$corpus" -o "$2" 2>&1 >/dev/null || true; } | stage "up to date" >> "$tmp/$3-uptodate"
}

# The same after an edit of one page: the seal stage and the whole run.
after_edit() {
  local start end
  start=$(date +%s.%N)
  { OPSBOOK_TIMING=1 "$1" build "$corpus" -o "$2" 2>&1 >/dev/null || true; } | stage "cache written" >> "$tmp/$3-written"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' >> "$tmp/$3-edit"
}

for n in "${!binaries[@]}"; do
  "${binaries[$n]}" build "$corpus" -o "$out/cache-site-$n" --full > /dev/null 2>&1 || true
  "${binaries[$n]}" build "$corpus" -o "$out/cache-site-$n" > /dev/null 2>&1 || true
  : > "$tmp/$n-uptodate"; : > "$tmp/$n-written"; : > "$tmp/$n-edit"
done
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages; caches: $(stat -c %s "$out/cache-site-0/.opsbook-cache") + $(stat -c %s "$out/cache-site-0/.opsbook-search-cache") bytes; $rounds rounds"
for ((i = 1; i <= rounds; i++)); do
  for n in "${!binaries[@]}"; do up_to_date "${binaries[$n]}" "$out/cache-site-$n" "$n"; done
  printf '\nEdited by cache bench run %d.\n' "$i" >> "$page"
  for n in "${!binaries[@]}"; do after_edit "${binaries[$n]}" "$out/cache-site-$n" "$n"; done
  printf 'round %d: up to date %s s, cache written %s s, edit rebuild %s s' "$i" "$(tail -1 "$tmp/0-uptodate")" "$(tail -1 "$tmp/0-written")" "$(tail -1 "$tmp/0-edit")"
  [ ${#binaries[@]} -gt 1 ] && printf '   (reference: %s s, %s s, %s s)' "$(tail -1 "$tmp/1-uptodate")" "$(tail -1 "$tmp/1-written")" "$(tail -1 "$tmp/1-edit")"
  echo
done
cp "$tmp/page.bak" "$page"
touch -d '2000-01-01 00:00:00 UTC' "$page"

ref() { if [ ${#binaries[@]} -gt 1 ]; then median < "$tmp/1-$1"; else echo "n/a"; fi; }
printf '%-60s %10s %12s\n' "figure (medians, seconds)" "opsbook" "reference"
printf '%-60s %10s %12s\n' "build with nothing changed: stage 'up to date' (unseal)" "$(median < "$tmp/0-uptodate")" "$(ref uptodate)"
printf '%-60s %10s %12s\n' "rebuild after an edit: stage 'cache written' (seal)" "$(median < "$tmp/0-written")" "$(ref written)"
printf '%-60s %10s %12s\n' "rebuild after an edit, whole run" "$(median < "$tmp/0-edit")" "$(ref edit)"
