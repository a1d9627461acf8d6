#!/usr/bin/env bash
# Benchmark (issue 17): the scale corpus checked statically (rules + bash -n + shellcheck) as one
# run and as 4 shards run one after another. Reference: the sum of the 4 shards' times within
# 1.15x of the single run (sharding must not multiply the work); each shard's time printed, and
# both again without shellcheck to show what the shell checks add. The merged report is compared
# with the single run's in every format (same findings in the same order, same exit code).
# Nothing is contacted: a static check runs local tools only.
#   bench/shards.sh [SHARDS]   (default 4; OPSBOOK_SCALE_CORPUS, OPSBOOK_BIN override the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-4}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
opsbook=${OPSBOOK_BIN:-$PWD/build/cli/opsbook}  # OPSBOOK_BIN: another build's binary
[ -x "$opsbook" ] || scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. bench/lib.sh
ensure_corpus "$corpus"

# Seconds of one command; its exit code in $tmp/rc.
timed() {
  local start rc=0
  start=$(date +%s.%N)
  "$@" > /dev/null 2> "$tmp/stderr" || rc=$?
  echo "$rc" > "$tmp/rc"
  awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.2f", a - b }'
}

single=$(timed "$opsbook" check "$corpus" --format json -o "$tmp/single.json")
single_rc=$(cat "$tmp/rc")
sum=0
for ((i = 1; i <= n; i++)); do
  t=$(timed "$opsbook" check "$corpus" --shard "$i/$n" --format json -o "$tmp/shard$i.json")
  printf 'shard %d/%d: %s s (%s)\n' "$i" "$n" "$t" "$(head -n 1 "$tmp/stderr")"
  sum=$(awk -v a="$sum" -v b="$t" 'BEGIN { printf "%.2f", a + b }')
done

# The merged report against the single run's, each rendered by the same writer; only the time
# each run started differs.
untimed() { sed -E 's/("generated_at": *")[^"]*"/\1"/; s/timestamp="[^"]*"/timestamp=""/g' "$1"; }
same=yes
for format in text json junit sarif github; do
  merged_rc=0
  "$opsbook" report merge "$tmp"/shard*.json --format "$format" -o "$tmp/merged.$format" 2> /dev/null || merged_rc=$?
  "$opsbook" report merge "$tmp/single.json" --format "$format" -o "$tmp/single.$format" 2> /dev/null || true
  if ! cmp -s <(untimed "$tmp/merged.$format") <(untimed "$tmp/single.$format") || [ "$merged_rc" != "$single_rc" ]; then
    same="NO ($format differs or exit $merged_rc != $single_rc)"
  fi
done
# Where the difference lies: the same runs without shellcheck (rules and bash -n only). Each shard
# runs shellcheck once per distinct script among its own runbooks; the scale corpus repeats one
# sample of pages, so every shard holds (nearly) every distinct script of the single run.
plain_single=$(timed "$opsbook" check "$corpus" --no-shellcheck --format json -o "$tmp/plain.json")
plain_sum=0
for ((i = 1; i <= n; i++)); do
  t=$(timed "$opsbook" check "$corpus" --no-shellcheck --shard "$i/$n" --format json -o "$tmp/plain$i.json")
  plain_sum=$(awk -v a="$plain_sum" -v b="$t" 'BEGIN { printf "%.2f", a + b }')
done

findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'], 'errors,', s['warnings'], 'warnings')" "$tmp/single.json")
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages, $(nproc) cores; single run: $findings, exit $single_rc"
echo "merged $n shards equal the single run in text, json, junit, sarif, github and exit code: $same"
printf '%-40s %8s\n' "single run" "$single s"
printf '%-40s %8s   ratio %s (reference <= 1.15)\n' "sum of $n shards, one after another" "$sum s" "$(awk -v a="$sum" -v b="$single" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %8s\n' "without shellcheck: single run" "$plain_single s"
printf '%-40s %8s   ratio %s\n' "without shellcheck: sum of $n shards" "$plain_sum s" "$(awk -v a="$plain_sum" -v b="$plain_single" 'BEGIN { printf "%.2f", a / b }')"
