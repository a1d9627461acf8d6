#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*.cpp) with clang, ASan + UBSan, and fuzzes them: one target
# per input surface (parse, config, attributes, report, cache, sql, shell, fill), each starting
# from its seed corpus (fuzz/corpus/<target>/, read only) with its dictionary (fuzz/dict/).
#   scripts/fuzz.sh --ci             every target: its corpus replayed, then a fixed number of
#                                    mutations from a fixed seed (what CI runs; a few minutes)
#   scripts/fuzz.sh --all SECONDS    every target, SECONDS split evenly between them (long local
#                                    runs: scripts/fuzz.sh --all 1800 is half an hour in all)
#   scripts/fuzz.sh TARGET [SECONDS] one target (default 60 s)
# A crash, leak, timeout or out-of-memory: the sanitizer's report is printed, the input is kept
# under build-fuzz/crashes/<target>/ (printed as base64 when small, so a CI log alone reproduces
# it: build-fuzz/fuzz/fuzz_<target> FILE), and the script exits non-zero. Add the input to
# fuzz/corpus/<target>/ with the fix: the corpus replays in the normal test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(parse config attributes report cache sql shell fill)
# Mutations per target in --ci mode (targets differ in speed: cache rebuilds a small site per input).
declare -A ci_runs=([parse]=20000 [config]=20000 [attributes]=50000 [report]=20000 [cache]=1500 [sql]=50000 [shell]=50000 [fill]=50000)
mode=one seconds=60 chosen=()
case "${1:-}" in
  --ci) mode=ci; chosen=("${targets[@]}") ;;
  --all) mode=time; chosen=("${targets[@]}"); seconds=$(( ${2:?--all needs SECONDS} / ${#targets[@]} )) ;;
  ""|-h|--help) sed -n '2,14p' "$0"; exit 2 ;;
  *) chosen=("$1"); seconds=${2:-60}; [[ " ${targets[*]} " == *" $1 "* ]] || { echo "unknown target '$1' (${targets[*]})"; exit 2; } ;;
esac
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOPSBOOK_FUZZ=ON -DOPSBOOK_TESTS=OFF >/dev/null
cmake --build build-fuzz --target "${chosen[@]/#/fuzz_}" -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${chosen[@]}"; do
  mkdir -p "$work/$t"
  seeds=(fuzz/corpus/"$t")
  [ "$t" = parse ] && [ -d ../shared/samples ] && seeds+=(../shared/samples)
  if [ "$mode" = ci ]; then limit=(-seed=1 -runs="${ci_runs[$t]}" -max_total_time=45); else limit=(-max_total_time="$seconds"); fi
  echo "== fuzz $t: ${limit[*]}"
  rc=0
  ASAN_OPTIONS=detect_leaks=1 TMPDIR="$work" build-fuzz/fuzz/fuzz_"$t" "${limit[@]}" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -dict=fuzz/dict/"$t".dict -print_final_stats=1 -artifact_prefix="$work/$t/" "$work/$t" "${seeds[@]}" > "$work/$t.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    status=$rc
    sed -n '/^==[0-9]*==ERROR/,/^SUMMARY/p; /^HTML oracle/p' "$work/$t.log"
    tail -5 "$work/$t.log"
    mkdir -p build-fuzz/crashes/"$t"
    for f in "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* "$work/$t"/oom-*; do
      [ -e "$f" ] || continue
      cp "$f" build-fuzz/crashes/"$t"/
      echo "input kept as build-fuzz/crashes/$t/$(basename "$f") ($(wc -c < "$f") bytes)"
      if [ "$(wc -c < "$f")" -le 16384 ]; then echo "base64:"; base64 -w 100 "$f"; fi
    done
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work/$t.log" | tr '\n' ' '; echo
done
exit "$status"
