# Shared helpers of the bench/ scripts (sourced, not run).
# Needs $tmp (a scratch folder) set by the caller.

# Median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command (its output discarded, its failure ignored) and prints "seconds max_rss_kb".
measure() {
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$tmp/time"
}

# The shared folder (corpus): $OPSBOOK_SHARED, else beside the checkout (/work/main) or two
# levels above a worktree (/work/wt/x), as in tests/CMakeLists.txt.
shared_dir() {
  if [ -n "${OPSBOOK_SHARED:-}" ]; then echo "$OPSBOOK_SHARED"; elif [ -d ../shared ]; then echo ../shared; else echo ../../shared; fi
}

# Builds the scale corpus when it is missing.
ensure_corpus() {
  local shared
  shared=$(shared_dir)
  [ -d "$1" ] || "$shared/corpus/make-corpus.sh" "$shared/corpus/gitlab" "$1" 10000
}

# A Hugo site in folder $1 over the corpus $2: a minimal layout with a table of contents, pages
# listed on the home page (link text: the page's file path, to find a page's URL).
hugo_site() {
  mkdir -p "$1/layouts/_default"
  cat > "$1/hugo.toml" <<TOML
baseURL = "http://127.0.0.1/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
[[module.mounts]]
  source = "$2"
  target = "content"
TOML
  cat > "$1/layouts/_default/single.html" <<'HTML'
<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main></body></html>
HTML
  cat > "$1/layouts/_default/list.html" <<'HTML'
<!doctype html><html><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .File.Path }}</a></li>{{ end }}</ul></body></html>
HTML
}
