#!/usr/bin/env bash
# The screenshot set of a release: index, a runbook (and its incident form), search, checklists,
# services, dark mode and print, from content/ and the shared samples, into DIR (default
# build/screenshots). Needs the test packages (scripts/setup.sh --test) and a built opsbook.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build/screenshots}")
binary=$(realpath "${OPSBOOK_BINARY:-build/cli/opsbook}")
samples=$(realpath -m "${OPSBOOK_SAMPLES:-../shared/samples}")
sources=("$PWD/content")
[ -d "$samples" ] && sources+=("$samples")
cd tests/browser
node screenshots.mjs "$binary" "${sources[@]}" -o "$out"
echo "screenshots: $out"
