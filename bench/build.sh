#!/usr/bin/env bash
# Benchmark of `opsbook build` on the ~10,000-page scale corpus, side by side with Hugo
# (Debian's hugo, a minimal layout with a table of contents written here) and, when installed,
# Pagefind. Targets (issue 4): full build incl. search <= 3 s and <= 1/4 of Hugo's rendering
# time; rebuild after touching one page <= 5% of the full build; first search of a common word
# fetches <= 100 KB; peak RSS <= 1 GB.
#   bench/build.sh [RUNS]   (default 3; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
out=${BENCH_OUT:-/tmp/opsbook-bench}
[ -x build/cli/opsbook ] || scripts/build.sh
. bench/lib.sh
ensure_corpus "$corpus"
mkdir -p "$out"
pages=$(find "$corpus" -name '*.md' | wc -l)
tmp=$(mktemp -d)
trash="$out/.trash"
trap 'rm -rf "$tmp" "$trash"' EXIT
mkdir -p "$trash"

# Moves a previous output aside (deleted at exit): each full build, opsbook's and Hugo's alike,
# writes into a path never used before. Deleting 20,000 files just before a build makes ext4 scan
# for inodes it may reuse, which measures the file system rather than the tool.
fresh() { if [ -e "$1" ]; then mv "$1" "$trash/$(basename "$1").$RANDOM$RANDOM"; fi; }


# --- opsbook: full builds (ignoring the cache), then incremental rebuilds ---
site="$out/opsbook-site"
: > "$tmp/full"; : > "$tmp/rss"; : > "$tmp/touch"; : > "$tmp/edit"
for ((i = 0; i < runs; i++)); do
  fresh "$site"
  read -r t rss < <(measure build/cli/opsbook build "$corpus" -o "$site" --full)
  echo "$t" >> "$tmp/full"; echo "$rss" >> "$tmp/rss"
done
# Flush the full builds' writes first: their writeback would otherwise land in the next timings.
sync
page=$(find "$corpus" -name '*.md' | sort | sed -n 100p)
cp "$page" "$tmp/page.bak"
for ((i = 0; i < runs; i++)); do
  touch "$page"
  read -r t _ < <(measure build/cli/opsbook build "$corpus" -o "$site")
  echo "$t" >> "$tmp/touch"
  printf '\nEdited by bench run %d.\n' "$i" >> "$page"
  read -r t _ < <(measure build/cli/opsbook build "$corpus" -o "$site")
  echo "$t" >> "$tmp/edit"
done
cp "$tmp/page.bak" "$page"
touch -d '2000-01-01 00:00:00 UTC' "$page"
build/cli/opsbook build "$corpus" -o "$site" > /dev/null 2>&1 || true
full=$(median < "$tmp/full"); touched=$(median < "$tmp/touch"); edited=$(median < "$tmp/edit")
rss_mb=$(( $(sort -n "$tmp/rss" | tail -1) / 1024 ))

# --- Hugo: the same files, a minimal layout with a table of contents ---
hugo_time="n/a"
if command -v hugo > /dev/null; then
  hs="$tmp/hugo"
  mkdir -p "$hs/layouts/_default"
  cat > "$hs/hugo.toml" <<TOML
baseURL = "http://127.0.0.1/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
[[module.mounts]]
  source = "$corpus"
  target = "content"
TOML
  cat > "$hs/layouts/_default/single.html" <<'HTML'
<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main></body></html>
HTML
  cat > "$hs/layouts/_default/list.html" <<'HTML'
<!doctype html><html><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
HTML
  : > "$tmp/hugo-times"
  for ((i = 0; i < runs; i++)); do
    fresh "$out/hugo-site"
    read -r t _ < <(measure hugo --source "$hs" --destination "$out/hugo-site" --quiet)
    echo "$t" >> "$tmp/hugo-times"
  done
  hugo_time=$(median < "$tmp/hugo-times")
fi
pagefind_time="n/a (not installed)"
if command -v pagefind > /dev/null && [ -d "$out/hugo-site" ]; then
  read -r t _ < <(measure pagefind --site "$out/hugo-site")
  pagefind_time="$t"
fi

# --- bytes fetched by the first search of a common word ---
read -r word bytes shard_bytes docs_bytes <<< "$(python3 - "$site" <<'PY'
import json, os, re, sys
site = sys.argv[1]
def js_arg(path, prefix):
    text = open(path, encoding="utf-8").read()
    body = text[len(prefix):].rstrip().rstrip(";").rstrip(")")
    return text, body
manifest_text, body = js_arg(os.path.join(site, "search/manifest.js"), "OpsbookSearch.manifest(")
manifest = json.loads(body)
word = "database"
key = max((k for k in manifest["shards"] if word.startswith(k)), key=len)
name = "search/s-" + "".join(c if ord(c) < 128 else "".join("_%02X" % b for b in c.encode()) for c in key) + ".js"
shard_text = open(os.path.join(site, name), encoding="utf-8").read()
terms = json.loads(shard_text[shard_text.index(",") + 1: shard_text.rindex("})") + 1])
p = terms[word]
pairs = sorted(((p[i + 1], p[i]) for i in range(1, len(p) - 1, 2)), reverse=True)[:10]
per = manifest.get("per", 1)  # pages per fragment file
docs = sum(os.path.getsize(os.path.join(site, "search/docs/%d.js" % f)) for f in sorted({d // per for _, d in pairs}))
total = len(manifest_text.encode()) + len(shard_text.encode()) + docs
print(word, total, len(shard_text.encode()), docs)
PY
)"
search_js=$(wc -c < "$site/assets/search.js")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
echo "corpus: $pages pages, $(nproc) cores, output on $(df --output=fstype "$out" | tail -1), median of $runs runs"
printf '%-52s %10s %14s %8s\n' "figure" "opsbook" "reference" "ratio"
printf '%-52s %9ss %13ss %8s\n' "full build incl. search index (target <= 3 s)" "$full" "3.00" "$(ratio "$full" 3)"
printf '%-52s %s\n' "  each run (opsbook / Hugo)" "$(tr '\n' ' ' < "$tmp/full")/ $(tr '\n' ' ' < "$tmp/hugo-times" 2>/dev/null)"
printf '%-52s %9ss %13ss %8s\n' "  vs Hugo rendering alone (target ratio <= 0.25)" "$full" "$hugo_time" "$(ratio "$full" "$hugo_time")"
printf '%-52s %10s %14s\n' "  Pagefind indexing of the Hugo site" "" "$pagefind_time"
printf '%-52s %9ss %13ss %8s\n' "rebuild after touching one page (target <= 5%)" "$touched" "$full" "$(ratio "$touched" "$full")"
printf '%-52s %9ss %13ss %8s\n' "rebuild after editing one page (target <= 5%)" "$edited" "$full" "$(ratio "$edited" "$full")"
printf '%-52s %9sB %13sB %8s\n' "first search for '$word': manifest+shard+10 fragments" "$bytes" "102400" "$(ratio "$bytes" 102400)"
printf '%-52s %9sB\n' "  of which the shard / the fragment files of the 10" "$shard_bytes / $docs_bytes"
printf '%-52s %9sB\n' "  search.js (cached after the first page)" "$search_js"
printf '%-52s %8sMB %12sMB %8s\n' "peak RSS of a full build (target <= 1 GB)" "$rss_mb" "1024" "$(ratio "$rss_mb" 1024)"
