#!/usr/bin/env bash
# The whole test suite: set up, build with warnings as errors, run every test through CTest.
#   scripts/test.sh             normal build (build/)
#   scripts/test.sh --sanitize  clang ASan + UBSan build (build-asan/), without the browser test
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--sanitize" ]; then
  # clang, ASan + UBSan (scripts/build.sh --sanitize). The browser test is left to the normal
  # build: it checks the portal's pages and scripts, and its site builds are covered here by the
  # generator and CLI tests.
  scripts/build.sh --sanitize
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -LE '^browser$'
else
  scripts/build.sh
  ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
fi
