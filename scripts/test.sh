#!/usr/bin/env bash
# The whole test suite: set up, build with warnings as errors, run every test through CTest.
#   scripts/test.sh             normal build (build/)
#   scripts/test.sh --sanitize  ASan + UBSan build (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--sanitize" ]; then
  # Optimised (-O2) so the 50 MB input test stays fast; libstdc++ assertions on as in Debug.
  export BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo
  scripts/build.sh -DOPSBOOK_ASAN=ON -DOPSBOOK_UBSAN=ON -DCMAKE_CXX_FLAGS=-D_GLIBCXX_ASSERTIONS
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600
else
  scripts/build.sh
  ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
fi
