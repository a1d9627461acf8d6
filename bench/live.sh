#!/usr/bin/env bash
# Benchmark (issue 6): live checks against the demo stack on 127.0.0.1.
#  - 2,000 HTTP endpoint checks against nginx: opsbook check --live vs a sequential loop of
#    curl processes over the same URLs (target: opsbook <= 1/10 of the loop's time);
#  - 500 read-only SQL snippets against PostgreSQL through opsbook's pooled connections, with
#    the time per snippet (and a sequential psql loop over the same statements for reference).
#   bench/live.sh [RUNS]   (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -x build/cli/opsbook ] || scripts/build.sh
tmp=$(mktemp -d)
trap 'scripts/stack.sh stop "$tmp/stack"; rm -rf "$tmp"' EXIT
. bench/lib.sh
scripts/stack.sh start "$tmp/stack" 2>/dev/null
set -a
. "$tmp/stack/stack.env"
set +a
base="http://127.0.0.1:$STACK_NGINX_PORT"

# 2,000 distinct URLs (nginx answers /api/... with 200), as one runbook of curl commands.
mkdir -p "$tmp/http" "$tmp/sql"
{
  echo "# Endpoints"; echo
  for i in $(seq 1 2000); do echo "- \`curl -fsS $base/api/item/$i\`"; done
} > "$tmp/http/endpoints.md"
for i in $(seq 1 2000); do echo "$base/api/item/$i"; done > "$tmp/urls"
{
  echo "# Queries"; echo
  for i in $(seq 1 500); do printf '```sql {name=q%d service=db}\nSELECT count(*) FROM orders WHERE total_cents > %d;\n```\n\n' "$i" "$i"; done
} > "$tmp/sql/queries.md"
for i in $(seq 1 500); do echo "SELECT count(*) FROM orders WHERE total_cents > $i;"; done > "$tmp/queries.sql"
cat > "$tmp/opsbook.yaml" <<EOF
default_env: bench
environments:
  bench:
    allow_hosts: ["127.0.0.1"]
    services:
      db: {dsn_env: OPSBOOK_PG_DSN}
EOF

curl_loop() { while read -r u; do curl -s -o /dev/null "$u"; done < "$tmp/urls"; }
psql_loop() { while read -r q; do psql "$OPSBOOK_PG_DSN" -Atq -c "$q" > /dev/null; done < "$tmp/queries.sql"; }
seconds() { local s; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN {printf "%.3f\n", a - b}'; }

for name in ob_http curl ob_sql psql; do : > "$tmp/$name"; done
for ((i = 0; i < runs; i++)); do
  seconds build/cli/opsbook --config "$tmp/opsbook.yaml" check --live --no-shell "$tmp/http" --format json -o "$tmp/http.json" >> "$tmp/ob_http"
  seconds curl_loop >> "$tmp/curl"
  seconds build/cli/opsbook --config "$tmp/opsbook.yaml" check --live --no-shell "$tmp/sql" --format json -o "$tmp/sql.json" >> "$tmp/ob_sql"
  seconds psql_loop >> "$tmp/psql"
done
ob_http=$(median < "$tmp/ob_http"); curl_t=$(median < "$tmp/curl"); ob_sql=$(median < "$tmp/ob_sql"); psql_t=$(median < "$tmp/psql")
passed() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(sum(x['outcome']=='pass' for x in r), 'of', len(r), 'passed')" "$1"; }
echo "stack: nginx, PostgreSQL 15, Redis on 127.0.0.1; $(nproc) cores; median of $runs runs"
echo "opsbook HTTP report: $(passed "$tmp/http.json"); SQL report: $(passed "$tmp/sql.json")"
printf '%-44s %8s %12s %8s\n' "figure" "seconds" "checks/s" "ratio"
rate() { awk -v n="$1" -v t="$2" 'BEGIN {printf "%.0f", n/t}'; }
printf '%-44s %8s %12s\n' "2,000 HTTP: sequential curl loop (reference)" "$curl_t" "$(rate 2000 "$curl_t")"
printf '%-44s %8s %12s %8s   (target <= 0.10)\n' "2,000 HTTP: opsbook check --live" "$ob_http" "$(rate 2000 "$ob_http")" \
  "$(awk -v a="$ob_http" -v b="$curl_t" 'BEGIN {printf "%.3f", a/b}')"
printf '%-44s %8s %12s\n' "500 SQL: sequential psql loop (reference)" "$psql_t" "$(rate 500 "$psql_t")"
printf '%-44s %8s %12s %8s\n' "500 SQL: opsbook check --live (pooled)" "$ob_sql" "$(rate 500 "$ob_sql")" \
  "$(awk -v a="$ob_sql" -v b="$psql_t" 'BEGIN {printf "%.3f", a/b}')"
printf '%-44s %8s\n' "time per SQL snippet, opsbook (ms)" "$(awk -v t="$ob_sql" 'BEGIN {printf "%.2f", t*1000/500}')"
