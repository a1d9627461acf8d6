#!/usr/bin/env bash
# Benchmark (issue 17): the scale corpus checked statically (rules + bash -n + shellcheck) as one
# run and as 4 shards run one after another. Reference: the sum of the 4 shards' times within
# 1.15x of the single run (sharding must not multiply the work); each shard's time printed.
# shellcheck's results are cached by content (.opsbook/shellcheck-cache), so two figures:
#  - cold caches: every run starts without a cache, as shards on separate CI machines that do not
#    restore one (each shard shellchecks every distinct script among its runbooks);
#  - a shared cache: empty before the first shard only, as shards on one machine (or CI machines
#    restoring the cache of the previous run would be, and better);
# then a plain re-run of the single check on unchanged content (warm cache), and all of it again
# without shellcheck. The merged reports are compared with the single run's in every format (same
# findings in the same order, same exit code), and the re-run's report with the first.
# Nothing is contacted: a static check runs local tools only.
# Each time is the median of RUNS runs (the machine is shared: single runs vary by 30%).
#   bench/shards.sh [SHARDS] [RUNS]   (default 4 and 3; OPSBOOK_SCALE_CORPUS, OPSBOOK_BIN override
#   the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-4}
runs=${2:-3}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
opsbook=${OPSBOOK_BIN:-$PWD/build/cli/opsbook}  # OPSBOOK_BIN: another build's binary
[ -x "$opsbook" ] || scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. bench/lib.sh
ensure_corpus "$corpus"
mkdir "$tmp/work"
cd "$tmp/work"  # the cache goes to ./.opsbook/
cache=$tmp/work/.opsbook/shellcheck-cache

# Seconds of one command: wall-clock, and CPU (user + system, shellcheck and bash -n included),
# which other work on a shared machine disturbs far less; its exit code in $tmp/rc.
timed() {
  local rc=0
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/stderr" || rc=$?
  echo "$rc" > "$tmp/rc"
  tail -n 1 "$tmp/time" | awk '{ printf "%.2f %.2f", $1, $2 + $3 }'
}
# The medians of lines "WALL CPU", and the sum of two such pairs.
medians() {
  cat > "$tmp/m"
  echo "$(cut -d' ' -f1 "$tmp/m" | median) $(cut -d' ' -f2 "$tmp/m" | median)"
}
add() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f %.2f", x[1] + y[1], x[2] + y[2] }'; }
# A check's medians over RUNS runs; with "cold" first, each run starts without a cache.
check_median() {
  local cold=$1
  shift
  for ((r = 1; r <= runs; r++)); do
    [ "$cold" = cold ] && rm -f "$cache"
    timed "$opsbook" check "$corpus" "$@"
    echo
  done | medians
}
single=$(check_median cold --format json -o "$tmp/single.json")
single_rc=$(cat "$tmp/rc")
cold_sum="0 0"
for ((i = 1; i <= n; i++)); do
  t=$(check_median cold --shard "$i/$n" --format json -o "$tmp/cold$i.json")
  printf 'cold cache:   shard %d/%d: %s s wall, %s s CPU (%s)\n' "$i" "$n" ${t} "$(head -n 1 "$tmp/stderr")"
  cold_sum=$(add "$cold_sum" "$t")
done
# The shared cache: the shards in order from an empty cache, RUNS times; each shard's medians.
for ((r = 1; r <= runs; r++)); do
  rm -f "$cache"
  for ((i = 1; i <= n; i++)); do
    echo "$i $(timed "$opsbook" check "$corpus" --shard "$i/$n" --format json -o "$tmp/shard$i.json")"
  done
done > "$tmp/shared.times"
sum="0 0"
for ((i = 1; i <= n; i++)); do
  t=$(awk -v i="$i" '$1 == i { print $2, $3 }' "$tmp/shared.times" | medians)
  printf 'shared cache: shard %d/%d: %s s wall, %s s CPU\n' "$i" "$n" ${t}
  sum=$(add "$sum" "$t")
done
rerun=$(check_median warm --format json -o "$tmp/rerun.json")

# The merged report against the single run's, each rendered by the same writer; only the time
# each run started differs.
untimed() { sed -E 's/("generated_at": *")[^"]*"/\1"/; s/timestamp="[^"]*"/timestamp=""/g' "$1"; }
same=yes
for set in cold shard; do
  for format in text json junit sarif github; do
    merged_rc=0
    "$opsbook" report merge "$tmp"/$set*.json --format "$format" -o "$tmp/merged.$format" 2> /dev/null || merged_rc=$?
    "$opsbook" report merge "$tmp/single.json" --format "$format" -o "$tmp/single.$format" 2> /dev/null || true
    if ! cmp -s <(untimed "$tmp/merged.$format") <(untimed "$tmp/single.$format") || [ "$merged_rc" != "$single_rc" ]; then
      same="NO ($set shards: $format differs or exit $merged_rc != $single_rc)"
    fi
  done
done
rerun_same=yes
cmp -s <(untimed "$tmp/rerun.json") <(untimed "$tmp/single.json") || rerun_same=NO
# Where the difference lies: the same runs without shellcheck (rules and bash -n only: sharding
# adds nothing there but the runbooks a shard parses for its links' anchors). With cold caches each
# shard runs shellcheck once per distinct script among its own runbooks; the scale corpus repeats
# one sample of pages, so every shard holds every distinct script (counted below).
plain_single=$(check_median warm --no-shellcheck --format json -o "$tmp/plain.json")
plain_sum="0 0"
for ((i = 1; i <= n; i++)); do
  t=$(check_median warm --no-shellcheck --shard "$i/$n" --format json -o "$tmp/plain$i.json")
  plain_sum=$(add "$plain_sum" "$t")
done

# What the cold shards repeat, counted: the scripts each run hands to shellcheck (a wrapper on
# PATH counts them; a separate pass, so that the times above are the plain tool's).
mkdir "$tmp/bin"
cat > "$tmp/bin/shellcheck" <<EOF
#!/bin/sh
n=0; for a in "\$@"; do case "\$a" in *.sh) n=\$((n + 1));; esac; done
[ "\$n" -eq 0 ] || echo "\$n" >> "\$SCRIPTS_LOG"
exec $(command -v shellcheck) "\$@"
EOF
chmod +x "$tmp/bin/shellcheck"
scripts_of() {
  rm -f "$cache" "$tmp/scripts"
  touch "$tmp/scripts"
  PATH="$tmp/bin:$PATH" SCRIPTS_LOG="$tmp/scripts" "$opsbook" check "$corpus" "$@" --format json -o "$tmp/count.json" > /dev/null 2>&1 || true
  awk '{ s += $1 } END { print s + 0 }' "$tmp/scripts"
}
single_scripts=$(scripts_of)
shard_scripts=""
shard_scripts_sum=0
for ((i = 1; i <= n; i++)); do
  c=$(scripts_of --shard "$i/$n")
  shard_scripts="$shard_scripts${shard_scripts:++}$c"
  shard_scripts_sum=$((shard_scripts_sum + c))
done

findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'], 'errors,', s['warnings'], 'warnings')" "$tmp/single.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f wall, %.2f CPU", x[1] / y[1], x[2] / y[2] }'; }
show() { printf '%-48s %6s s wall %6s s CPU' "$1" ${2}; [ -z "${3:-}" ] || printf '   ratio %s%s' "$(ratio "$2" "$3")" "${4:-}"; echo; }
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); single run: $findings, exit $single_rc"
echo "merged $n shards (cold and shared cache) equal the single run in text, json, junit, sarif, github and exit code: $same"
echo "medians of $runs runs each; CPU counts opsbook and the shellcheck and bash processes it runs"
show "single run, cold cache" "$single"
show "sum of $n shards, cold caches (separate machines)" "$cold_sum" "$single" " (reference <= 1.15)"
show "sum of $n shards, one shared cache" "$sum" "$single" " (reference <= 1.15)"
show "re-run of the single check, unchanged content" "$rerun" "$single" " (same report: $rerun_same)"
show "without shellcheck: single run" "$plain_single"
show "without shellcheck: sum of $n shards" "$plain_sum" "$plain_single" " (reference <= 1.15)"
echo "scripts shellcheck checks from an empty cache: single run $single_scripts, $n shards $shard_scripts = $shard_scripts_sum" \
  "($(awk -v a="$shard_scripts_sum" -v b="$single_scripts" 'BEGIN { printf "%.2f", b ? a / b : 0 }')x: what cold shards repeat)"
