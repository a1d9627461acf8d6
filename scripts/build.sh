#!/usr/bin/env bash
# Configures and builds opsbook. Extra arguments go to cmake.
#   scripts/build.sh              build/ (or $BUILD_DIR): RelWithDebInfo, warnings as errors
#   scripts/build.sh --sanitize   build-asan/: clang, ASan + UBSan, libstdc++ assertions, the
#                                 libFuzzer targets beside the tests (one build serves the
#                                 sanitized suite and scripts/fuzz.sh)
# Uses ccache when it is installed (developer machines); CI builds without it.
set -euo pipefail
cd "$(dirname "$0")/.."
options=(-DOPSBOOK_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  shift
  build=${BUILD_DIR:-build-asan}
  # -O1 -g1: a third faster to compile than -O2 -g; line tables are enough for sanitizer reports.
  # Warnings as errors stay with the GCC build (clang warns differently on system headers).
  options=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -D_GLIBCXX_ASSERTIONS"
    -DOPSBOOK_ASAN=ON -DOPSBOOK_UBSAN=ON -DOPSBOOK_FUZZ=ON -DOPSBOOK_WERROR=OFF)
else
  build=${BUILD_DIR:-build}
  options+=(-DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}")
fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -G Ninja "${options[@]}" "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
