#!/usr/bin/env bash
# Benchmark (issue 17): check history.
#  - 100,000 live results (one report) recorded with `opsbook history record` into SQLite
#    (reference: >= 100,000 rows/s) and into the stack's PostgreSQL 15 (>= 50,000 rows/s, COPY);
#    the figure counts the whole command, and again without the time to read the report
#    (measured with `opsbook report merge` of the same file);
#  - `opsbook history show RUNBOOK --last 1000` over 1,000 recorded runs (reference: < 50 ms).
#   bench/history.sh [RUNS]   (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -x build/cli/opsbook ] || scripts/build.sh
opsbook=$PWD/build/cli/opsbook
tmp=$(mktemp -d)
trap 'scripts/stack.sh stop "$tmp/stack" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
. bench/lib.sh
scripts/stack.sh start "$tmp/stack" >/dev/null 2>&1
set -a
. "$tmp/stack/stack.env"
set +a

# A real live report (one runbook, one check against a closed port), grown to 100,000 results.
mkdir -p "$tmp/docs"
printf '# Bench\n\n- `curl http://127.0.0.1:9/healthz`\n' > "$tmp/docs/bench.md"
printf 'default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n' > "$tmp/sqlite.yaml"
"$opsbook" --config "$tmp/sqlite.yaml" check --live --retries 0 --format json -o "$tmp/one.json" "$tmp/docs" 2>/dev/null || true
python3 - "$tmp/one.json" "$tmp/big.json" 100000 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
one = r["results"][0]
r["results"] = [dict(one, line=i + 1, target=one["target"] + "/" + str(i % 1000), outcome="pass" if i % 7 else "fail") for i in range(int(sys.argv[3]))]
json.dump(r, open(sys.argv[2], "w"))
PY

psql_admin() { $STACK_PG_ADMIN -At -c "$1" >/dev/null; }
{ cat "$tmp/sqlite.yaml"; printf 'history: {dsn_env: BENCH_HISTORY_DSN}\n'; } > "$tmp/pg.yaml"
export BENCH_HISTORY_DSN="${OPSBOOK_PG_SUPER_DSN%/*}/opsbook_bench"

read_s=$(for i in $(seq "$runs"); do measure "$opsbook" report merge "$tmp/big.json" --format json -o "$tmp/merged.json" | cut -d' ' -f1; done | median)
# CPU seconds (user + system) of a command: what it costs whatever else runs on the machine.
cpu() {
  /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$tmp/cpu" | awk '{ printf "%.2f\n", $1 + $2 }'
}
read_cpu=$(for i in $(seq "$runs"); do cpu "$opsbook" report merge "$tmp/big.json" --format json -o "$tmp/merged.json"; done | median)
sqlite_s=$(for i in $(seq "$runs"); do
  rm -rf "$tmp/.opsbook"
  measure "$opsbook" --config "$tmp/sqlite.yaml" history record --run-id bench "$tmp/big.json" | cut -d' ' -f1
done | median)
sqlite_cpu=$(for i in $(seq "$runs"); do
  rm -rf "$tmp/.opsbook"
  cpu "$opsbook" --config "$tmp/sqlite.yaml" history record --run-id bench "$tmp/big.json"
done | median)
pg_s=$(for i in $(seq "$runs"); do
  psql_admin "DROP DATABASE IF EXISTS opsbook_bench WITH (FORCE)"
  psql_admin "CREATE DATABASE opsbook_bench OWNER shop_admin"
  "$opsbook" --config "$tmp/pg.yaml" history show >/dev/null  # creates the schema, outside the timing
  measure "$opsbook" --config "$tmp/pg.yaml" history record --run-id bench "$tmp/big.json" | cut -d' ' -f1
done | median)
rate() { awk -v n=100000 -v t="$1" -v r="$2" 'BEGIN { if (t - r <= 0) print "n/a"; else printf "%.0f", n / (t - r) }'; }
echo "load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "reading the 100,000-result report alone: ${read_s} s wall, ${read_cpu} s CPU"
printf 'SQLite:     100,000 results in %s s: %s rows/s whole command, %s rows/s recording alone (reference >= 100,000)\n' \
  "$sqlite_s" "$(rate "$sqlite_s" 0)" "$(rate "$sqlite_s" "$read_s")"
printf 'SQLite, CPU time: %s s: %s rows/s whole command (the wall-clock figure on an idle machine)\n' "$sqlite_cpu" "$(rate "$sqlite_cpu" 0)"
printf 'PostgreSQL: 100,000 results in %s s: %s rows/s whole command, %s rows/s recording alone (reference >= 50,000)\n' \
  "$pg_s" "$(rate "$pg_s" 0)" "$(rate "$pg_s" "$read_s")"

# 1,000 runs of a runbook with 20 checks, then `history show` of it over all of them.
python3 - "$tmp/one.json" "$tmp/runs" 1000 20 <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
one = r["results"][0]
os.makedirs(sys.argv[2])
for k in range(int(sys.argv[3])):
    r["generated_at"] = "2026-01-%02dT%02d:%02d:00Z" % (1 + k // 1440, k // 60 % 24, k % 60)
    r["results"] = [dict(one, line=3 + i, target=one["target"] + "/" + str(i), outcome="fail" if (k + i) % 9 == 0 else "pass") for i in range(int(sys.argv[4]))]
    json.dump(r, open("%s/run%04d.json" % (sys.argv[2], k), "w"))
PY
rm -rf "$tmp/.opsbook"
for f in "$tmp"/runs/*.json; do "$opsbook" --config "$tmp/sqlite.yaml" history record "$f" 2>/dev/null; done
path=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["file"])' "$tmp/one.json")
# Wall-clock and CPU time (user + system): on a shared machine the wall clock mostly measures the
# wait for a core, the CPU time what `history show` costs (process start included).
for i in $(seq 5); do
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$opsbook" --config "$tmp/sqlite.yaml" history show "$path" --last 1000 > /dev/null 2>&1 || true
  tail -n 1 "$tmp/time"
done > "$tmp/show.times"
show_s=$(cut -d' ' -f1 "$tmp/show.times" | median)
show_cpu=$(awk '{ printf "%.3f\n", $2 + $3 }' "$tmp/show.times" | median)
printf 'history show of one runbook (20 checks) over 1,000 runs, SQLite: %s s wall, %s s CPU (reference < 0.050 s; load %s)\n' \
  "$show_s" "$show_cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
