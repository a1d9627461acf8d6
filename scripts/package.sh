#!/usr/bin/env bash
# Builds the Debian package of a configured and built tree: scripts/package.sh [BUILD_DIR [OUT_DIR]]
# (defaults build/ and BUILD_DIR/package); prints the .deb's path.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
out=$(realpath -m "${2:-$build/package}")
cmake --build "$build" --target opsbook opsbook_man >/dev/null
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
ls "$out"/opsbook_*.deb
