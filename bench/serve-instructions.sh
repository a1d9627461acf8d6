#!/usr/bin/env bash
# Instructions of one `opsbook serve` rebuild after an edit of one runbook's body (no title
# change), counted by callgrind: a repeatable figure on a busy machine, where wall times are not.
# The server starts uninstrumented (its first build runs at valgrind's plain speed); counting is
# switched on for the edits, and the figure is the inclusive count of PreviewBuild::build, median
# of EDITS edits. Works on a private copy of the corpus.
#   bench/serve-instructions.sh [CORPUS] [EDITS]   (default: the scale corpus, 3 edits)
# OPSBOOK_BIN: another binary (e.g. a build of main, to compare); KEEP_PROFILE=FILE keeps the last
# edit's profile for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}}
edits=${2:-3}
opsbook=${OPSBOOK_BIN:-build/cli/opsbook}
[ -x "$opsbook" ] || scripts/build.sh
command -v valgrind > /dev/null || { echo "bench: needs valgrind" >&2; exit 1; }
. bench/lib.sh
[ "$corpus" != /tmp/opsbook-scale ] || ensure_corpus "$corpus"
tmp=$(mktemp -d)
pid=""
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
cp -r "$corpus" "$tmp/corpus"
pages=$(find "$tmp/corpus" -name '*.md' | wc -l)
file=$(find "$tmp/corpus" -name '*.md' | LC_ALL=C sort | sed -n 100p)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/cg.%p" \
  "$opsbook" serve "$tmp/corpus" --port 0 --no-report 2> "$tmp/serve.log" &
pid=$!
# Waits until the server's log has $1 lines matching $2.
wait_lines() {
  for ((n = 0; n < 6000; n++)); do [ "$(grep -c "$2" "$tmp/serve.log" || true)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "bench: timed out waiting for '$2'" >&2; cat "$tmp/serve.log" >&2; exit 1
}
wait_lines 1 "serving http"
callgrind_control -i on "$pid" > /dev/null
: > "$tmp/counts"
for ((i = 0; i < edits; i++)); do
  callgrind_control -z "$pid" > /dev/null
  printf '\ninstruction bench edit %d\n' "$i" >> "$file"
  wait_lines $((i + 1)) "rebuilt in"
  sleep 1  # the dump after the build's last instruction
  callgrind_control -d "edit$i" "$pid" > /dev/null
  dump=$(ls -t "$tmp"/cg.* | head -1)
  callgrind_annotate --inclusive=yes "$dump" > "$tmp/annotate" 2> /dev/null || true
  awk '/PreviewBuild::build\(/ && !found {gsub(",", "", $1); print $1; found = 1}' "$tmp/annotate" >> "$tmp/counts"
done
echo "corpus: $pages pages; edited ${file#"$tmp/corpus/"}; $edits edits"
echo "instructions of one rebuild (PreviewBuild::build, inclusive), each: $(tr '\n' ' ' < "$tmp/counts")"
echo "median: $(median < "$tmp/counts")"
if [ -n "${KEEP_PROFILE:-}" ]; then cp "$dump" "$KEEP_PROFILE"; echo "profile of the last edit: $KEEP_PROFILE"; fi
