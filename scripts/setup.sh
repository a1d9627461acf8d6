#!/usr/bin/env bash
# Installs the Debian packages opsbook needs to build, test and run its demo stack.
# Idempotent: does nothing (and needs no network) when everything is installed already.
#   scripts/setup.sh --list   prints the package names (used by .ci/run)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libyaml-cpp-dev libcli11-dev
  nlohmann-json3-dev catch2 libfmt-dev libkainjow-mustache-dev libpqxx-dev libcurl4-openssl-dev
  libhiredis-dev libjemalloc-dev libre2-dev libcpp-httplib-dev clang libclang-rt-14-dev python3
  chromium fonts-dejavu-core nodejs hugo shellcheck
  postgresql nginx-light redis-server redis-tools
  docker.io docker-compose busybox-static
)

if [ "${1:-}" = "--list" ]; then
  echo "${packages[*]}"
  exit 0
fi

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
# Debian's nodejs comes without npm; some node builds include it.
command -v npm >/dev/null || "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends npm

# Browser tests: playwright-core pinned by tests/browser/package-lock.json (no browser download:
# the tests use Debian's chromium).
cd "$(dirname "$0")/../tests/browser"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
