#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) and fuzzes the parser for a bounded time.
#   scripts/fuzz.sh [SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOPSBOOK_FUZZ=ON -DOPSBOOK_TESTS=OFF >/dev/null
cmake --build build-fuzz --target parse_fuzz -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# New inputs go to $work; the checked-in seeds and the shared samples are read only.
seeds=(fuzz/corpus)
[ -d ../shared/samples ] && seeds+=(../shared/samples)
# On a crash: the sanitizer's report, and the input kept under build-fuzz/crashes/ (and printed as
# base64 when small, so a CI log alone is enough to reproduce it with build-fuzz/fuzz/parse_fuzz FILE).
status=0
ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz/parse_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" "$work" "${seeds[@]}" > "$work/log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  sed -n '/^==[0-9]*==ERROR/,/^SUMMARY/p' "$work/log"
  mkdir -p build-fuzz/crashes
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$f" ] || continue
    cp "$f" build-fuzz/crashes/
    echo "input kept as build-fuzz/crashes/$(basename "$f") ($(wc -c < "$f") bytes)"
    if [ "$(wc -c < "$f")" -le 16384 ]; then echo "base64:"; base64 -w 100 "$f"; fi
  done
  grep '^stat::' "$work/log" || true
else
  tail -15 "$work/log"
fi
exit "$status"
