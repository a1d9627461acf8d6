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
ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz/parse_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" "$work" "${seeds[@]}" 2>&1 | tail -15
