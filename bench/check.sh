#!/usr/bin/env bash
# Benchmark: static `opsbook check` of the ~10,000-page scale corpus against `opsbook inspect
# --json` of the same files (target, issue 5: check without shellcheck <= 2x inspect).
# bash -n runs in batches; the figure with --no-shell shows the rules alone.
# Last line: one generated 1 MB runbook with many findings (issue 14: checking must stay linear;
# it took 8 s for 690 KB when each finding rescanned the file), next to its parse time.
#   bench/check.sh [RUNS]   (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=${OPSBOOK_SCALE_CORPUS:-/tmp/opsbook-scale}
[ -x build/cli/opsbook ] || scripts/build.sh
. bench/lib.sh
ensure_corpus "$corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The same shell snippets opsbook checks, one file per runbook, for shellcheck alone.
mkdir -p "$tmp/snippets"
{ build/cli/opsbook inspect --json "$corpus" 2>/dev/null || true; } | python3 -c '
import json, sys, os
out = sys.argv[1]
for i, rb in enumerate(json.load(sys.stdin)["runbooks"]):
    code = [s["code"] if not s["inline"] else s["code"] + "\n" for s in rb["snippets"] if s["kind"] == "shell" and (s["lang"] or s["inline"]) and s["lang"] != "zsh"]
    if code:
        open(os.path.join(out, "r%05d.sh" % i), "w").write("\n".join(code))
' "$tmp/snippets"
shellcheck_alone() {
  find "$tmp/snippets" -name '*.sh' -print0 | xargs -0 -n1 -P"$(nproc)" shellcheck -f json1 -s bash -S warning \
    -e SC2154,SC2034,SC1090,SC1091,SC2164,SC2155 > /dev/null 2>&1 || true
}
# 1 MiB of sections, each with a broken link, an unguarded destructive snippet with a shell
# syntax error, and unexplained placeholders.
python3 - "$tmp/one-mb.md" <<'PY'
import sys
parts, size, i = ["# Many findings\n"], 0, 0
while size < 1 << 20:
    s = (f"\n## Step {i}\n\nClean up the service data. See [the guide](missing-{i}.md#nowhere).\n\n"
         f"```bash\nrm -rf /var/lib/<service_{i}>/data\nsystemctl restart <unit_{i}>\nif then\n```\n\n"
         f"- [ ] run `kubectl delete pod <pod_{i}>` and check `curl http://<host_{i}>/healthz`\n")
    parts.append(s); size += len(s); i += 1
open(sys.argv[1], "w").write("".join(parts))
PY
# 16 distinct shell scripts of 31 KiB in one runbook (s6 review B5: 18 s): shellcheck reads the
# first 64 KiB of them (limits.shellcheck_bytes), the rest get one warning.
python3 - "$tmp/sixteen.md" <<'PY'
import sys
md = "# Sixteen\n"
for s in range(16):
    body, i = "", 0
    while len(body) < 31 * 1024 - 80:
        body += f'if [ -f "/tmp/f{s}_{i}" ]; then cat "/tmp/f{s}_{i}" | grep -c x; fi\n'; i += 1
    md += "\n```bash\n" + body + "```\n"
open(sys.argv[1], "w").write(md)
PY
# One script of 80,000 distinct placeholders, 700 KB (s7b review B1: over 20 s and 494 MB when
# each placeholder was searched for over the whole script and every finding kept 4 KiB).
python3 -c "print('# T\n\n\`\`\`bash\necho ' + ' '.join(f'<P{i}>' for i in range(80000)) + '\n\`\`\`')" > "$tmp/placeholders.md"
for name in inspect check noshell noshellcheck shellcheck one_parse one_check sixteen placeholders_parse placeholders; do : > "$tmp/$name"; done
for ((i = 0; i < runs; i++)); do
  read -r t _ < <(measure build/cli/opsbook inspect --json "$corpus"); echo "$t" >> "$tmp/inspect"
  read -r t rss < <(measure build/cli/opsbook check "$corpus" --format json -o "$tmp/report.json"); echo "$t" >> "$tmp/check"
  read -r t _ < <(measure build/cli/opsbook check "$corpus" --no-shellcheck --format json -o "$tmp/report3.json"); echo "$t" >> "$tmp/noshellcheck"
  read -r t _ < <(measure build/cli/opsbook check "$corpus" --no-shell --format json -o "$tmp/report2.json"); echo "$t" >> "$tmp/noshell"
  read -r t _ < <(measure build/cli/opsbook inspect --json "$tmp/one-mb.md"); echo "$t" >> "$tmp/one_parse"
  read -r t _ < <(measure build/cli/opsbook check --no-shellcheck --format json -o "$tmp/one.json" "$tmp/one-mb.md"); echo "$t" >> "$tmp/one_check"
  read -r t _ < <(measure build/cli/opsbook check --format json -o "$tmp/sixteen.json" "$tmp/sixteen.md"); echo "$t" >> "$tmp/sixteen"
  read -r t _ < <(measure build/cli/opsbook inspect --json "$tmp/placeholders.md"); echo "$t" >> "$tmp/placeholders_parse"
  read -r t placeholders_rss < <(measure build/cli/opsbook check --no-shellcheck --format json -o "$tmp/placeholders.json" "$tmp/placeholders.md"); echo "$t" >> "$tmp/placeholders"
  if command -v shellcheck > /dev/null; then
    start=$(date +%s.%N); shellcheck_alone; awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.3f\n", a - b}' >> "$tmp/shellcheck"
  fi
done
inspect=$(median < "$tmp/inspect"); check=$(median < "$tmp/check"); noshell=$(median < "$tmp/noshell")
noshellcheck=$(median < "$tmp/noshellcheck"); alone=$(median < "$tmp/shellcheck")
findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'], 'errors,', s['warnings'], 'warnings,', s['infos'], 'notes,', s['snippets'], 'snippets')" "$tmp/report.json")
echo "corpus: $(find "$corpus" -name '*.md' | wc -l) pages, $(nproc) cores, median of $runs runs; report: $findings"
printf '%-46s %8s %10s %8s\n' "figure" "seconds" "reference" "ratio"
printf '%-46s %8s\n' "opsbook inspect --json (reference)" "$inspect"
printf '%-46s %8s %10s %8s   (target <= 2x)\n' "opsbook check --no-shellcheck (rules + bash -n)" "$noshellcheck" "$inspect" "$(awk -v a="$noshellcheck" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
printf '%-46s %8s %10s %8s\n' "opsbook check --no-shell (rules only)" "$noshell" "$inspect" "$(awk -v a="$noshell" -v b="$inspect" 'BEGIN {printf "%.2f", a/b}')"
if [ -n "$alone" ]; then
  printf '%-46s %8s\n' "shellcheck alone, once per runbook (reference)" "$(printf '%.2f' "$alone")"
  printf '%-46s %8s %10s %8s   (target <= 1.2x)\n' "opsbook check (rules, bash -n, shellcheck)" "$check" "$(printf '%.2f' "$alone")" "$(awk -v a="$check" -v b="$alone" 'BEGIN {printf "%.2f", a/b}')"
fi
printf '%-46s %7sMB\n' "peak RSS of check" "$((rss / 1024))"
one_parse=$(median < "$tmp/one_parse"); one_check=$(median < "$tmp/one_check")
one_findings=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['errors'] + s['warnings'] + s['infos'])" "$tmp/one.json")
printf '%-46s %8s %10s %8s   (1 MiB, %s findings; linear: was 8 s for 690 KB)\n' "one runbook: check --no-shellcheck vs inspect" "$one_check" "$one_parse" \
  "$(awk -v a="$one_check" -v b="$one_parse" 'BEGIN {printf "%.2f", a/b}')" "$one_findings"
printf '%-46s %8s   (was 18 s; target <= 5 s: shellcheck reads 64 KiB of the 496)\n' "one runbook, 16 scripts of 31 KiB: check" "$(median < "$tmp/sixteen")"
placeholders_parse=$(median < "$tmp/placeholders_parse"); placeholders=$(median < "$tmp/placeholders")
printf '%-46s %8s %10s %8s   (%sMB; was over 20 s and 494 MB)\n' "80,000 placeholders: check --no-shellcheck vs inspect" "$placeholders" "$placeholders_parse" \
  "$(awk -v a="$placeholders" -v b="$placeholders_parse" 'BEGIN {printf "%.2f", a/b}')" "$((placeholders_rss / 1024))"
