#!/usr/bin/env bash
# Benchmark of `opsbook serve` on the ~10,000-page scale corpus: the time from saving an edited
# runbook to the browser having loaded the new page (Chromium's load event after the reload),
# median of EDITS edits (target <= 100 ms), next to an incremental `opsbook build` of the same edit
# and `hugo server` doing the same (Debian's hugo, when installed); the server's peak RSS (target
# <= 1 GB). Works on a private copy of the corpus.
#   bench/serve.sh [EDITS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
edits=${1:-20}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
[ -x build/cli/opsbook ] || scripts/build.sh
[ -d tests/browser/node_modules/playwright-core ] || scripts/setup.sh --test
. bench/lib.sh
ensure_corpus "$corpus"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cp -r "$corpus" "$tmp/corpus"
pages=$(find "$tmp/corpus" -name '*.md' | wc -l)
file=$(find "$tmp/corpus" -name '*.md' | LC_ALL=C sort | sed -n 100p)
rel=${file#"$tmp/corpus/"}

# Waits for "$2" in the file $1 (a server's log), at most $3 s.
wait_for() { for ((n = 0; n < $3 * 10; n++)); do grep -q "$2" "$1" && return 0; sleep 0.1; done; echo "bench: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1; }

# --- opsbook serve ---
build/cli/opsbook serve "$tmp/corpus" --port 0 --no-report 2> "$tmp/serve.log" &
serve_pid=$!; pids+=("$serve_pid")
wait_for "$tmp/serve.log" "serving http" 120
port=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
start_build=$(sed -n 's/^opsbook: built .* in \([0-9.]*\) s$/\1/p' "$tmp/serve.log")
# The page of the 100th file, by its slug in the model.
slug=$( (build/cli/opsbook inspect --json "$tmp/corpus" 2>/dev/null || true) | python3 -c '
import json, sys
want = sys.argv[1]
for rb in json.load(sys.stdin)["runbooks"]:
    if rb["path"] == want: print(rb["slug"]); break' "$file")
page_url="http://127.0.0.1:$port/runbooks/$slug.html"
curl -fsS -o /dev/null "$page_url" || { echo "bench: no page at $page_url" >&2; exit 1; }
node bench/serve-reload.mjs "$page_url" "$file" "$edits" > "$tmp/opsbook-ms" || { cat "$tmp/serve.log" "$tmp/opsbook-ms" >&2; exit 1; }
rss_mb=$(( $(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status") / 1024 ))
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
opsbook_ms=$(median < "$tmp/opsbook-ms")

# --- opsbook build, incremental, after the same kind of edit ---
build/cli/opsbook build "$tmp/corpus" -o "$tmp/site" --no-report > /dev/null 2>&1 || true
: > "$tmp/build-s"
for ((i = 0; i < 5; i++)); do
  printf '\nbuild edit %d\n' "$i" >> "$file"
  read -r t _ < <(measure build/cli/opsbook build "$tmp/corpus" -o "$tmp/site" --no-report)
  echo "$t" >> "$tmp/build-s"
done
build_ms=$(median < "$tmp/build-s" | awk '{printf "%.0f", $1 * 1000}')

# --- hugo server, the same edit ---
hugo_ms="n/a (hugo not installed)"; hugo_start="n/a"
if command -v hugo > /dev/null; then
  hs="$tmp/hugo"
  hugo_site "$hs" "$tmp/corpus"
  hport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  hugo server --source "$hs" --bind 127.0.0.1 --port "$hport" --appendPort --baseURL http://127.0.0.1/ > "$tmp/hugo.log" 2>&1 &
  pids+=("$!")
  wait_for "$tmp/hugo.log" "Web Server is available" 600
  hugo_start=$(sed -n 's/^Built in \([0-9]*\) ms$/\1/p' "$tmp/hugo.log" | head -1)
  # Hugo's address of the page: the content path without .md, lower-cased (its default permalinks).
  hugo_path=/$(tr '[:upper:]' '[:lower:]' <<<"${rel%.md}")/
  curl -fsS -o /dev/null "http://127.0.0.1:$hport$hugo_path" || hugo_path=""
  # Hugo's figure is a reference: where its page cannot be found or does not show the edit, the
  # opsbook figures still print (with the reason in place of Hugo's).
  if [ -z "$hugo_path" ]; then
    hugo_ms="n/a (no Hugo page for $rel)"
  elif node bench/serve-reload.mjs "http://127.0.0.1:$hport$hugo_path" "$file" "$edits" > "$tmp/hugo-ms" 2> "$tmp/hugo-err"; then
    hugo_ms=$(median < "$tmp/hugo-ms")
  else
    hugo_ms="n/a ($(grep -m1 '^Error' "$tmp/hugo-err") at $hugo_path)"; rm -f "$tmp/hugo-ms"
  fi
fi

echo "corpus: $pages pages, $(nproc) cores; edited $rel; median of $edits edits"
printf '%-60s %12s %14s\n' "figure" "opsbook" "reference"
printf '%-60s %10sms %12sms\n' "save -> browser loaded the new page (target <= 100 ms)" "$opsbook_ms" "100"
printf '%-60s %s\n' "  each edit, ms" "$(tr '\n' ' ' < "$tmp/opsbook-ms")"
[[ $hugo_ms == n/a* ]] || hugo_ms="${hugo_ms}ms"
printf '%-60s %12s %14s\n' "  hugo server, the same edit" "" "$hugo_ms"
[ -f "$tmp/hugo-ms" ] && printf '%-60s %s\n' "    each edit, ms" "$(tr '\n' ' ' < "$tmp/hugo-ms")"
printf '%-60s %10sms\n' "  opsbook build (incremental) after the same edit" "$build_ms"
printf '%-60s %11ss %13sms\n' "first build when the server starts (opsbook / hugo)" "$start_build" "$hugo_start"
printf '%-60s %10sMB %12sMB\n' "peak RSS of opsbook serve (target <= 1 GB)" "$rss_mb" "1024"
