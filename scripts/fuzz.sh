#!/usr/bin/env bash
# Fuzzes the libFuzzer targets (fuzz/*.cpp) of the sanitized build (scripts/build.sh --sanitize:
# clang, ASan + UBSan in build-asan/, the build scripts/test.sh --sanitize uses): one target per
# input surface (parse, config, attributes,
# report, cache, sql, shell, fill), each starting from its seed corpus (fuzz/corpus/<target>/,
# read only) with its dictionary (fuzz/dict/).
#   scripts/fuzz.sh --ci             what CI runs: every target replays its corpus, then makes a
#                                    fixed number of mutations (-runs) from a fixed seed; two
#                                    targets at a time, each capped at 20 s: at most 80 s in all
#                                    on 2 cores (CI's budget is 90 s)
#   scripts/fuzz.sh --all SECONDS    every target, SECONDS split evenly between them (long local
#                                    runs: scripts/fuzz.sh --all 1800 is half an hour in all)
#   scripts/fuzz.sh TARGET [SECONDS] one target (default 60 s)
# A crash, leak, timeout or out-of-memory: the sanitizer's report is printed, the input is kept
# under build-asan/crashes/<target>/ (printed as base64 when small, so a CI log alone reproduces
# it: build-asan/fuzz/fuzz_<target> FILE), and the script exits non-zero. Add the input to
# fuzz/corpus/<target>/ with the fix: the corpus replays in the normal test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(parse config attributes report cache sql shell fill)
# Mutations per target in --ci mode (the cache target builds a small site per input, so it gets
# far fewer). The 20 s cap per target keeps CI within budget whatever these are.
declare -A ci_runs=([parse]=6000 [config]=20000 [attributes]=30000 [report]=20000 [cache]=300 [sql]=30000 [shell]=30000 [fill]=30000)
mode=one seconds=60 chosen=() parallel=1
case "${1:-}" in
  --ci) mode=ci; chosen=("${targets[@]}"); parallel=2 ;;
  --all) mode=time; chosen=("${targets[@]}"); seconds=$(( ${2:?--all needs SECONDS} / ${#targets[@]} )) ;;
  ""|-h|--help) sed -n '2,15p' "$0"; exit 2 ;;
  *) chosen=("$1"); seconds=${2:-60}; [[ " ${targets[*]} " == *" $1 "* ]] || { echo "unknown target '$1' (${targets[*]})"; exit 2; } ;;
esac
scripts/build.sh --sanitize
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Fuzzes target $1; its log goes to $work/$1.log, its exit status to $work/$1.rc.
fuzz_one() {
  local t=$1 rc=0 limit
  mkdir -p "$work/$t/new" "$work/$t/tmp"
  local seeds=(fuzz/corpus/"$t")
  [ "$t" = parse ] && [ -d ../shared/samples ] && seeds+=(../shared/samples)
  if [ "$mode" = ci ]; then limit=(-seed=1 -runs="${ci_runs[$t]}" -max_total_time=20); else limit=(-max_total_time="$seconds"); fi
  echo "== fuzz $t: ${limit[*]}" > "$work/$t.log"
  ASAN_OPTIONS=detect_leaks=1 TMPDIR="$work/$t/tmp" build-asan/fuzz/fuzz_"$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=fuzz/dict/"$t".dict -print_final_stats=1 -artifact_prefix="$work/$t/" "$work/$t/new" "${seeds[@]}" >> "$work/$t.log" 2>&1 || rc=$?
  echo "$rc" > "$work/$t.rc"
}

# Prints target $1's outcome; keeps its failing inputs. Returns its exit status.
report_one() {
  local t=$1 rc
  rc=$(cat "$work/$t.rc")
  head -1 "$work/$t.log"
  if [ "$rc" -ne 0 ]; then
    sed -n '/^==[0-9]*==ERROR/,/^SUMMARY/p; /^HTML oracle/p' "$work/$t.log"
    tail -5 "$work/$t.log"
    mkdir -p build-asan/crashes/"$t"
    for f in "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* "$work/$t"/oom-*; do
      [ -e "$f" ] || continue
      cp "$f" build-asan/crashes/"$t"/
      echo "input kept as build-asan/crashes/$t/$(basename "$f") ($(wc -c < "$f") bytes)"
      if [ "$(wc -c < "$f")" -le 16384 ]; then echo "base64:"; base64 -w 100 "$f"; fi
    done
  fi
  { grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work/$t.log" || true; } | tr '\n' ' '
  echo
  return "$rc"
}

start=$(date +%s)
running=0
for t in "${chosen[@]}"; do
  if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$((running - 1)); fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait
status=0
for t in "${chosen[@]}"; do report_one "$t" || status=1; done
echo "== fuzzed ${#chosen[@]} target(s) in $(( $(date +%s) - start )) s"
exit "$status"
