#!/usr/bin/env bash
# The demo stack: a real PostgreSQL, nginx and Redis on free 127.0.0.1 ports, for the demo
# content's live check and for the [live] tests. Nothing listens beyond loopback.
#   scripts/stack.sh start DIR        start all three; writes DIR/stack.env and DIR/opsbook.yaml
#   scripts/stack.sh stop DIR         stop whatever DIR/stack.env says is running
#   scripts/stack.sh run DIR -- CMD   start, run CMD with stack.env exported, stop on any exit
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR  |  $0 run DIR -- CMD..." >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] || { echo "stack: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$d"
}

# PostgreSQL refuses to run as root: run its commands as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_for_port() {  # port, name, log file
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "stack: $2 did not start on 127.0.0.1:$1; its log follows" >&2
  cat "$3" >&2 || true
  return 1
}

start() {
  [ ! -f "$dir/stack.env" ] || stop
  trap 'rc=$?; stop; exit $rc' ERR
  local bin pg_port nginx_port redis_port pgdir ro_pw app_pw admin_pw
  bin=$(pg_bin)
  pg_port=$(free_port); nginx_port=$(free_port); redis_port=$(free_port)
  # The postgres user must reach the data dir: keep it under /tmp, not below a private home.
  pgdir=$(mktemp -d /tmp/opsbook-pg.XXXXXX)
  chmod 755 "$pgdir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
  ro_pw=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  app_pw=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  admin_pw=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  cat >"$dir/stack.env" <<EOF
STACK_PGDIR=$pgdir
STACK_PG_BIN=$bin
STACK_PG_PORT=$pg_port
STACK_NGINX_PORT=$nginx_port
STACK_REDIS_PORT=$redis_port
OPSBOOK_PG_DSN=postgresql://shop_readonly:$ro_pw@127.0.0.1:$pg_port/shop
OPSBOOK_PG_APP_DSN=postgresql://shop_app:$app_pw@127.0.0.1:$pg_port/shop
OPSBOOK_PG_SUPER_DSN=postgresql://shop_admin:$admin_pw@127.0.0.1:$pg_port/shop
STACK_PG_ADMIN="$bin/psql -h $pgdir -p $pg_port -U postgres -d shop -v ON_ERROR_STOP=1 -q"
EOF

  # PostgreSQL: local socket trusts the postgres user (setup only); TCP needs a password.
  as_pg "$bin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$pgdir/initdb.log" 2>&1 ||
    { cat "$pgdir/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgres.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pgdir -c fsync=off -c max_connections=60" start >/dev/null ||
    { cat "$pgdir/postgres.log" >&2; exit 1; }
  as_pg "$bin/psql" -h "$pgdir" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<EOF
CREATE ROLE shop_app LOGIN PASSWORD '$app_pw';
CREATE ROLE shop_readonly LOGIN PASSWORD '$ro_pw';
CREATE ROLE shop_admin LOGIN SUPERUSER PASSWORD '$admin_pw';
CREATE DATABASE shop OWNER shop_app;
-- The read-only role docs/SECURITY.md recommends for live checks.
GRANT pg_read_all_data TO shop_readonly;
ALTER ROLE shop_readonly SET default_transaction_read_only = on;
EOF
  PGPASSWORD=$app_pw "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U shop_app -d shop -v ON_ERROR_STOP=1 -q <<'EOF'
CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL, total_cents int NOT NULL,
                     created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO orders (status, total_cents)
  SELECT (ARRAY['pending','shipped','delivered'])[1 + i % 3], 100 * i FROM generate_series(1, 30) i;
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
INSERT INTO schema_migrations (version) VALUES (20261001), (20261015), (20261101);
GRANT SELECT ON ALL TABLES IN SCHEMA public TO shop_readonly;
EOF

  # nginx: fixed answers for the probes, a redirect, and any status under /status/NNN.
  mkdir -p "$dir/nginx"
  cat >"$dir/nginx/nginx.conf" <<EOF
daemon on;
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp; proxy_temp_path $dir/nginx/tmp;
  fastcgi_temp_path $dir/nginx/tmp; uwsgi_temp_path $dir/nginx/tmp; scgi_temp_path $dir/nginx/tmp;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    server_name _;
    default_type text/plain;
    location = /healthz { return 200 "ok\n"; }
    location = /readyz { return 200 "ready\n"; }
    location = /status/maintenance { return 503 "maintenance\n"; }
$(for code in 200 201 204 400 401 403 404 429 500 502 503 504; do
    echo "    location = /status/$code { return $code \"status $code\\n\"; }"
  done)
    location = /moved { return 301 /healthz; }
    location = /loop { return 302 /loop; }
    location = /away { return 302 http://elsewhere.invalid/healthz; }
    location /api/ { return 200 "{\"ok\":true}\n"; }
    location / { return 404 "not found\n"; }
  }
}
EOF
  mkdir -p "$dir/nginx/tmp"
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log" 2>"$dir/nginx/start.log" ||
    { cat "$dir/nginx/start.log" >&2; exit 1; }
  wait_for_port "$nginx_port" nginx "$dir/nginx/error.log"

  # Redis: no persistence, loopback only, a few keys for the read-only commands.
  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  wait_for_port "$redis_port" redis "$dir/redis.log"
  redis-cli -p "$redis_port" SET session:demo alice >/dev/null
  redis-cli -p "$redis_port" SET cart:demo 3 >/dev/null

  write_config
  trap - ERR
  echo "stack: PostgreSQL 127.0.0.1:$pg_port, nginx 127.0.0.1:$nginx_port, Redis 127.0.0.1:$redis_port (state in $dir)" >&2
}

# opsbook.yaml for content/: documented hosts and ports mapped onto the stack's free ports.
write_config() {
  # shellcheck disable=SC1091
  . "$dir/stack.env"
  cat >"$dir/opsbook.yaml" <<EOF
# Written by scripts/stack.sh for the demo stack; ports change on every start.
default_env: local
environments:
  local:
    hosts:
      "shop.demo.internal": "127.0.0.1:$STACK_NGINX_PORT"
      "gateway:8080": "127.0.0.1:$STACK_NGINX_PORT"
      "orders-db:5432": "127.0.0.1:$STACK_PG_PORT"
      "127.0.0.1:5432": "127.0.0.1:$STACK_PG_PORT"
      "cache:6379": "127.0.0.1:$STACK_REDIS_PORT"
      "127.0.0.1:6379": "127.0.0.1:$STACK_REDIS_PORT"
    services:
      gateway: {url: "http://127.0.0.1:$STACK_NGINX_PORT"}
      orders-db: {dsn_env: OPSBOOK_PG_DSN}
      cache: {url: "redis://127.0.0.1:$STACK_REDIS_PORT"}
    allow_hosts: ["127.0.0.1", "localhost"]
EOF
  # The Compose project of scripts/docker-stack.sh, when the demo runs one beside the stack.
  if [ -n "${DOCKER_STACK_PROJECT:-}" ]; then
    echo "    compose: {project: $DOCKER_STACK_PROJECT, docker_host: \"$DOCKER_HOST\"}" >>"$dir/opsbook.yaml"
  fi
}

stop() {
  [ -f "$dir/stack.env" ] || return 0
  # shellcheck disable=SC1091
  . "$dir/stack.env"
  [ ! -f "$dir/nginx/nginx.pid" ] || kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
  [ ! -f "$dir/redis.pid" ] || kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  if [ -d "$STACK_PGDIR/data" ]; then
    as_pg "$STACK_PG_BIN/pg_ctl" -D "$STACK_PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STACK_PGDIR"
  rm -f "$dir/stack.env"
}

# A free port can be taken by someone else between our probe and the server's bind: try again
# with fresh ports before giving up.
start_with_retries() {
  local rc=1 attempt
  for attempt in 1 2 3; do
    set +e
    (set -e; start)
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || return 0
    stop  # whatever this attempt started
    echo "stack: start failed (attempt $attempt of 3)" >&2
  done
  return "$rc"
}

case "$action" in
  start) start_with_retries ;;
  stop) stop ;;
  run)
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || usage
    trap stop EXIT INT TERM
    start_with_retries
    set -a
    # shellcheck disable=SC1091
    . "$dir/stack.env"
    set +a
    "$@"
    ;;
  *) usage ;;
esac
