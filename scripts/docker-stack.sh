#!/usr/bin/env bash
# A private Docker daemon with one Compose project, for the [docker] tests and the demo: dockerd
# without bridge, iptables or IP forwarding, its data, exec root, pid file and socket in a fresh
# folder under /tmp; an image imported from Debian's busybox-static (no registry is contacted);
# the project's containers on the host network, listening on 127.0.0.1 only.
#   scripts/docker-stack.sh start DIR COMPOSE_FILE PROJECT         writes DIR/docker.env
#   scripts/docker-stack.sh stop DIR                               stops what DIR/docker.env names
#   scripts/docker-stack.sh run DIR COMPOSE_FILE PROJECT -- CMD    start, run CMD with docker.env exported, stop
# Every ${NAME_PORT} in the compose file gets a free port (exported, and kept in docker.env).
# Where dockerd cannot run here (not root, not installed, the kernel refuses, it cannot run a
# container), `start` writes DOCKER_UNAVAILABLE="why" into docker.env, prints it on one line (kept
# in DIR/skipped, which scripts/test.sh prints after the suite) and exits 0.
set -euo pipefail

usage() { echo "usage: $0 start DIR COMPOSE_FILE PROJECT | stop DIR | run DIR COMPOSE_FILE PROJECT -- CMD..." >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
image=opsbook/busybox:local

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Records why Docker is not available here; the caller returns 0 after it.
unavailable() {
  local why=${1//[\"\$\`\\]/}  # a double-quoted value the shell can source as is
  printf 'DOCKER_UNAVAILABLE="%s"\n' "$why" >"$dir/docker.env"
  echo "docker: skipped: $1" | tee "$dir/skipped" >&2
}

# Blocks until the daemon answers (0), exits or does not answer within 15 s (1).
wait_for_daemon() {
  local deadline=$((SECONDS + 15))
  while [ "$SECONDS" -lt "$deadline" ]; do
    timeout 2 docker version >/dev/null 2>&1 && return 0
    kill -0 "$daemon_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

start_daemon() {  # storage driver
  rm -f "$root/dockerd.pid"
  # setsid: its own session, so a terminal's Ctrl-C reaches it only through stop.
  setsid dockerd --config-file "$root/daemon.json" --data-root "$root/data" --exec-root "$root/exec" \
    --pidfile "$root/dockerd.pid" -H "unix://$root/docker.sock" --storage-driver "$1" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --userland-proxy=false \
    --shutdown-timeout 2 --log-level warn </dev/null >"$root/dockerd.log" 2>&1 &
  daemon_pid=$!
  wait_for_daemon
}

# A rootfs of one static busybox and its applets, imported as an image.
build_image() {
  local rootfs=$root/rootfs applet
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/www" "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh httpd wget nc sleep true false cat echo ls ps env hostname; do ln -s busybox "$rootfs/bin/$applet"; done
  echo 'root:x:0:0:root:/:/bin/sh' >"$rootfs/etc/passwd"
  echo ok >"$rootfs/www/index.html"
  tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$image" >/dev/null
}

# Waits until no container of the project is still starting its healthcheck (at most 30 s).
wait_for_health() {
  local ids status
  for _ in $(seq 1 300); do
    mapfile -t ids < <(docker ps -aq --filter "label=com.docker.compose.project=$project")
    status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "${ids[@]}" 2>/dev/null || true)
    grep -q starting <<<"$status" || return 0
    sleep 0.1
  done
  echo "docker-stack: healthchecks still starting after 30 s" >&2
  return 1
}

start() {
  local compose=$1
  project=$2
  [ -f "$dir/docker.env" ] && stop
  rm -f "$dir/skipped"
  [ "$(id -u)" -eq 0 ] || { unavailable "not root: a private dockerd needs root"; return 0; }
  local tool
  for tool in dockerd docker docker-compose python3; do
    command -v "$tool" >/dev/null || { unavailable "$tool is not installed (scripts/setup.sh installs docker.io and docker-compose)"; return 0; }
  done
  if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
    unavailable "/bin/busybox is not static (apt-get install busybox-static)"
    return 0
  fi
  root=$(mktemp -d /tmp/opsbook-docker.XXXXXX)
  printf 'DOCKER_STACK_ROOT=%s\nDOCKER_HOST=unix://%s/docker.sock\n' "$root" "$root" >"$dir/docker.env"
  export DOCKER_HOST=unix://$root/docker.sock
  echo '{}' >"$root/daemon.json"
  mkdir -p "$root/data" "$root/exec"
  if ! start_daemon overlay2 && ! { stop_daemon; start_daemon vfs; }; then
    local why
    why=$(grep -iE 'level=(error|fatal)|failed' "$root/dockerd.log" | tail -1 | sed -E 's/.*msg="?([^"]*)"?.*/\1/' | cut -c1-200)
    stop
    unavailable "dockerd does not start here: ${why:-see its log}"
    return 0
  fi
  if ! build_image 2>"$root/import.log"; then
    local why
    why=$(tail -1 "$root/import.log" | cut -c1-200)
    stop
    unavailable "dockerd started but cannot import an image here: ${why:-see its log}"
    return 0
  fi
  local var
  while read -r var; do
    export "$var=$(free_port)"
    echo "$var=${!var}" >>"$dir/docker.env"
  done < <(grep -oE '\$\{[A-Z_]+_PORT\}' "$compose" | grep -oE '[A-Z_]+_PORT' | sort -u)
  printf 'DOCKER_STACK_PROJECT=%s\nDOCKER_STACK_COMPOSE=%s\n' "$project" "$(cd "$(dirname "$compose")" && pwd)/$(basename "$compose")" >>"$dir/docker.env"
  if ! docker-compose --ansi never -p "$project" -f "$compose" up -d >"$root/compose.log" 2>&1; then
    # Where the daemon cannot run any container (an unprivileged CI container: no mounts, no
    # namespaces), Docker is unavailable here; otherwise the compose file is at fault.
    local why
    if ! why=$(docker run --rm --network host --log-driver none "$image" true 2>&1); then
      why=$(tr '\n' ' ' <<<"${why#docker: Error response from daemon: }" | cut -c1-200)
      stop
      unavailable "dockerd started but cannot run a container here: $why"
      return 0
    fi
    cat "$root/compose.log" >&2
    return 1
  fi
  wait_for_health
  echo "docker-stack: dockerd $(docker version --format '{{.Server.Version}}') on $DOCKER_HOST, project $project up" >&2
}

stop_daemon() {
  local pid
  pid=$(cat "$root/dockerd.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  # What the daemon mounted under its folders (network namespaces, overlay layers).
  awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

stop() {
  [ -f "$dir/docker.env" ] || return 0
  root=$(sed -n 's/^DOCKER_STACK_ROOT=//p' "$dir/docker.env")
  if [ -n "$root" ] && [ -d "$root" ]; then
    export DOCKER_HOST=unix://$root/docker.sock
    # The containers first, so the daemon stops at once instead of after their stop timeouts.
    docker ps -q 2>/dev/null | xargs -r docker kill >/dev/null 2>&1 || true
    stop_daemon
    rm -rf "$root"
  fi
  rm -f "$dir/docker.env"
}

case "$action" in
  start)
    [ $# -eq 2 ] || usage
    start "$1" "$2" || { stop; exit 1; }
    ;;
  stop) stop ;;
  run)
    if [ $# -lt 4 ] || [ "$3" != "--" ]; then usage; fi
    compose=$1 name=$2
    shift 3
    trap stop EXIT INT TERM
    start "$compose" "$name" || exit 1
    set -a
    # shellcheck disable=SC1091
    . "$dir/docker.env"
    set +a
    "$@"
    ;;
  *) usage ;;
esac
