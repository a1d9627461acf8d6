#!/usr/bin/env bash
# The Debian package: cpack -G DEB on the built tree, then its contents (dpkg-deb -c), its
# dependencies, and the packaged binary, manual page and completion at work.
#   tests/packaging/package_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=$("$(dirname "$0")/../../scripts/package.sh" "$build" "$work/out")
fail() { echo "FAIL: $*" >&2; exit 1; }
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/opsbook ./usr/share/man/man1/opsbook.1.gz ./usr/share/bash-completion/completions/opsbook \
         ./usr/share/doc/opsbook/README.md ./usr/share/doc/opsbook/commands.md ./usr/share/doc/opsbook/configuration.md \
         ./usr/share/doc/opsbook/runbooks.md ./usr/share/doc/opsbook/checklist.schema.json; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in $(basename "$deb")"
done
grep -q "^-rwxr-xr-x .* ./usr/bin/opsbook$" <<<"$contents" || fail "the binary is not executable"
[ "$(dpkg-deb -f "$deb" Package)" = opsbook ] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libcurl libpqxx libhiredis libyaml-cpp libcmark-gfm libcpp-httplib; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
# What it installs works: the binary runs, the manual page renders, the completion completes.
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/opsbook" --version | grep -q '^opsbook ' || fail "the packaged binary does not run"
man -l "$work/root/usr/share/man/man1/opsbook.1.gz" 2>/dev/null | grep -q "opsbook - check, preview" ||
  zcat "$work/root/usr/share/man/man1/opsbook.1.gz" | grep -q '^opsbook \\- check, preview' || fail "manual page"
completion=$(bash -c '
  _init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
  _filedir() { :; }
  source "$1"
  COMP_WORDS=(opsbook se); COMP_CWORD=1; _opsbook; echo "${COMPREPLY[*]}"
  COMP_WORDS=(opsbook check --fo); COMP_CWORD=2; _opsbook; echo "${COMPREPLY[*]}"' _ "$work/root/usr/share/bash-completion/completions/opsbook")
[ "$completion" = $'serve\n--format' ] || fail "completion: $completion"
echo "ok: $(basename "$deb"): $(grep -c . <<<"$contents") entries; Depends: $depends"
