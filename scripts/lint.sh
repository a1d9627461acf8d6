#!/usr/bin/env bash
# Lint: clang-format (.clang-format, checked, never rewritten) and clang-tidy (.clang-tidy; its
# checks are errors) over our C++ sources, with the compile commands of build/ (scripts/build.sh).
#   scripts/lint.sh [--format | --tidy] [FILE...]   default: both, every file of model/ validator/
#                                                   generator/ runner/ cli/ fuzz/ tests/
#   scripts/lint.sh --fix-format FILE...            rewrites the given files with clang-format
# Exits 1 when a file is not formatted or clang-tidy reports anything.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
do_format=1 do_tidy=1 fix=0
case "${1:-}" in
  --format) do_tidy=0; shift ;;
  --tidy) do_format=0; shift ;;
  --fix-format) fix=1; shift; [ $# -gt 0 ] || { echo "--fix-format needs files"; exit 2; } ;;
esac
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'model/*.[ch]pp' 'validator/*.[ch]pp' 'generator/*.[ch]pp' 'runner/*.[ch]pp' 'cli/*.[ch]pp' 'fuzz/*.[ch]pp' 'tests/*.[ch]pp')
fi
if [ "$fix" -eq 1 ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
status=0
if [ "$do_format" -eq 1 ]; then
  echo "== clang-format (${#files[@]} files)"
  clang-format --dry-run --Werror "${files[@]}" || status=1
fi
if [ "$do_tidy" -eq 1 ]; then
  [ -f "$build/compile_commands.json" ] || scripts/build.sh >/dev/null
  mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '\.cpp$' | grep -v '^fuzz/' || true)
  echo "== clang-tidy (${#sources[@]} files)"
  run-clang-tidy -p "$build" -quiet -j "$(nproc)" "${sources[@]/#/$PWD/}" > "$build/clang-tidy.log" 2>&1 || status=1
  grep -E '(warning|error): ' "$build/clang-tidy.log" | sort -u || true
fi
exit "$status"
