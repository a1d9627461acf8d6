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
