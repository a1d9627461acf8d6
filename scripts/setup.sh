#!/usr/bin/env bash
# Installs the Debian packages opsbook needs to build, test and run its demo stack.
# Idempotent: does nothing (and needs no network) when everything is installed already.
#   scripts/setup.sh --list   prints the package names (used by .ci/run)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libyaml-cpp-dev libcli11-dev
  nlohmann-json3-dev catch2 libfmt-dev libkainjow-mustache-dev libpqxx-dev libcurl4-openssl-dev
  libhiredis-dev clang libclang-rt-14-dev python3
)

if [ "${1:-}" = "--list" ]; then
  echo "${packages[*]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
