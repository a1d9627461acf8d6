#!/usr/bin/env bash
# Bytes moved for the first view of the portal of the ~10,000-page scale corpus, in Chromium over
# a local static server (127.0.0.1, bytes as served, no compression counted): the index, a runbook
# page (median size, and the largest) and search results for five common words.
# Targets (issue 19): index and runbook page <= 150 KB; index and fragments for the first screen
# of results <= 100 KB.
#   bench/portal.sh            (builds the site of $OPSBOOK_SCALE_CORPUS into $BENCH_OUT/portal-site)
#   BENCH_SITE=DIR bench/portal.sh   (measures an existing site)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
out=${BENCH_OUT:-/tmp/opsbook-bench}
[ -x build/cli/opsbook ] || scripts/build.sh
[ -d tests/browser/node_modules/playwright-core ] || scripts/setup.sh
. bench/lib.sh
site=${BENCH_SITE:-}
if [ -z "$site" ]; then
  ensure_corpus "$corpus"
  site="$out/portal-site"
  mkdir -p "$out"
  build/cli/opsbook build "$corpus" -o "$site" > /dev/null 2>&1 || [ -f "$site/index.html" ]
fi
site=$(cd "$site" && pwd)
echo "site: $site ($(find "$site/runbooks" -name '*.html' | wc -l) runbook pages)"
node bench/portal.mjs "$site" postgres database redis kubernetes deploy
