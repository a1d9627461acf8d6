#!/usr/bin/env bash
# Installs the Debian packages opsbook needs, in two groups:
#   scripts/setup.sh          what the demo needs: build opsbook (no tests), shellcheck, the demo stack
#   scripts/setup.sh --test   also what the tests, fuzzing and benchmarks need (Catch2, clang,
#                             Chromium, node and the browser tests' packages, Hugo)
#   scripts/setup.sh --list   prints every package name (used by .ci/run)
# Idempotent: does nothing (and needs no network) when everything is installed already.
set -euo pipefail

demo_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libkainjow-mustache-dev libpqxx-dev libcurl4-openssl-dev libhiredis-dev libjemalloc-dev libre2-dev libsqlite3-dev
  libssl-dev
  libcpp-httplib-dev shellcheck python3 postgresql nginx-light redis-server redis-tools
  docker.io docker-compose busybox-static
)
test_packages=(
  catch2 libfmt-dev clang libclang-rt-14-dev cmark-gfm
  chromium fonts-dejavu-core nodejs hugo
)

case "${1:-}" in
  --list) echo "${demo_packages[*]} ${test_packages[*]}"; exit 0 ;;
  --test) packages=("${demo_packages[@]}" "${test_packages[@]}") ;;
  "") packages=("${demo_packages[@]}") ;;
  *) echo "usage: scripts/setup.sh [--test | --list]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ "${1:-}" = "--test" ] || exit 0
# Debian's nodejs comes without npm; some node builds include it.
command -v npm >/dev/null || "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends npm

# Browser tests: playwright-core pinned by tests/browser/package-lock.json (no browser download:
# the tests use Debian's chromium).
cd "$(dirname "$0")/../tests/browser"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
