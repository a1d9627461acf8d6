#!/usr/bin/env python3
"""Scores opsbook's model against the hand labels in tests/data/labels/ (format: its README.md).

For each split (dev, holdout) and each class of command (`how`): recall (labelled commands found
at their line), precision (of everything emitted as a command in the labelled runbooks), safety,
language and interactive agreement on the matched commands; the same recall/precision for
queries, endpoints and procedure steps. Python 3 standard library only.

usage: extraction_score.py --opsbook BIN --labels DIR --shared DIR --root DIR
                           [--show dev] [--floor FILE | --write-floor FILE]
  --show SPLIT      also list each miss and false positive of that split (never tune on holdout)
  --floor FILE      regression guard: exit 1 when a dev label file scores worse than recorded
  --write-floor F   record the dev figures of every label file as the new floor
"""
import argparse
import difflib
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict

TARGET = 0.95
HOWS = ["fenced", "session", "unlabelled-fence", "tool-fence", "inline-list", "inline-table",
        "inline-paragraph", "heredoc", "compound", "wrapped"]
SHELL_FENCES = {"sh", "bash", "shell", "zsh", "console", "shell-session", "shellsession", "terminal",
                "powershell", "pwsh", "ps1", "ps", "sql", "pgsql", "postgresql", "postgres",
                "plpgsql", "mysql", "redis", "ruby", "irb", "python", "py", "pycon", "mongo",
                "javascript", "js", "cmd", "bat", "batch", "fish", "text", "txt", "plaintext",
                "promql", "logql", "http"}


def resolve(runbook, root, shared):
    """Label paths are relative to the repository root; ../shared/ is the shared folder."""
    prefix = "../shared/"
    if runbook.startswith(prefix):
        return os.path.join(shared, runbook[len(prefix):])
    return os.path.join(root, runbook)


def load_labels(folder):
    labels = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            raw = f.read()
        entry = json.loads(raw)
        entry["_file"] = name
        entry["_hash"] = hashlib.sha256(raw).hexdigest()[:16]
        labels.append(entry)
    return labels


def inspect(opsbook, paths):
    """The model of every labelled runbook, by the path given on the command line."""
    out = subprocess.run([opsbook, "inspect", "--json", *paths], capture_output=True, text=True)
    if out.returncode not in (0, 1) or not out.stdout.strip():
        sys.exit(f"extraction: opsbook inspect failed ({out.returncode}): {out.stderr.strip()[:500]}")
    return {rb["path"]: rb for rb in json.loads(out.stdout)["runbooks"]}


def norm(text):
    return " ".join(text.split())


def pair_by_line(labelled, emitted, text_of_label, text_of_emitted):
    """Pairs labels and emitted items that sit on the same line (most similar text first).
    Returns (pairs, unmatched labels, unmatched emitted)."""
    by_line = defaultdict(list)
    for e in emitted:
        by_line[e["line"]].append(e)
    pairs, missed = [], []
    used = set()
    groups = defaultdict(list)
    for lab in labelled:
        groups[lab["line"]].append(lab)
    for line, labs in groups.items():
        cands = [e for e in by_line.get(line, [])]
        scored = []
        for i, lab in enumerate(labs):
            for j, e in enumerate(cands):
                ratio = difflib.SequenceMatcher(None, norm(text_of_label(lab)), norm(text_of_emitted(e))).ratio()
                scored.append((-ratio, i, j))
        scored.sort()
        lab_done, em_done = set(), set()
        for _, i, j in scored:
            if i in lab_done or j in em_done:
                continue
            lab_done.add(i)
            em_done.add(j)
            pairs.append((labs[i], cands[j]))
            used.add(id(cands[j]))
        missed.extend(lab for i, lab in enumerate(labs) if i not in lab_done)
    extra = [e for e in emitted if id(e) not in used]
    return pairs, missed, extra


def source_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


def emitted_commands(rb, lines):
    """Every command the model emits (queries apart), with the class its provenance suggests."""
    out = []
    for s in rb["snippets"]:
        for c in s["commands"]:
            if c.get("lang") == "query":
                continue
            item = dict(c)
            item["snippet"] = s["id"]
            item["how"] = provenance(s, c, lines)
            if "safety" not in c:
                item["safety"] = s["safety"]
            out.append(item)
    return out


def provenance(snippet, command, lines):
    if snippet["inline"]:
        text = lines[command["line"] - 1].lstrip(" >") if 0 < command["line"] <= len(lines) else ""
        if text.startswith("|"):
            return "inline-table"
        if text[:1] in "-*+" or text.split(".")[0].split(")")[0].isdigit():
            return "inline-list"
        return "inline-paragraph"
    if command.get("prompt"):
        return "session"
    lang = snippet["lang"]
    if not lang:
        return "unlabelled-fence"
    return "fenced" if lang in SHELL_FENCES else "tool-fence"


def emitted_queries(rb):
    out = []
    for s in rb["snippets"]:
        for c in s["commands"]:
            if c.get("lang") == "query":
                out.append({"line": c["line"], "text": c["text"], "snippet": s["id"]})
    return out


def norm_url(url):
    url = url.strip().strip("'\"`<>")
    return url.rstrip("/")


def endpoint_pairs(labelled, emitted):
    """An endpoint is found when one is emitted at its line with the same URL (or the same path
    when one side is written without scheme and host)."""
    def same(a, b):
        a, b = norm_url(a), norm_url(b)
        # curl reads "localhost:9187/metrics" as http://localhost:9187/metrics: the label keeps the
        # file's spelling, the model the URL curl requests.
        if a.startswith("http://") != b.startswith("http://") and a.removeprefix("http://") == b.removeprefix("http://"):
            return True
        return a == b or (a.startswith("/") and b.endswith(a)) or (b.startswith("/") and a.endswith(b))
    pairs, missed, used = [], [], set()
    for lab in labelled:
        hit = next((e for e in emitted if id(e) not in used and e["line"] == lab["line"] and same(lab["url"], e["url"])), None)
        if hit is None:
            missed.append(lab)
        else:
            used.add(id(hit))
            pairs.append((lab, hit))
    return pairs, missed, [e for e in emitted if id(e) not in used]


def score_procedures(labelled, checklists):
    """Step recall within the emitted list that holds most of a labelled procedure's steps (a list
    split in two loses the steps of its smaller part); precision over every emitted step."""
    found, total, matched_steps = 0, 0, set()
    missed = []
    emitted_steps = [(c["id"], item["line"]) for c in checklists for item in c["items"]]
    for proc in labelled:
        steps = set(proc["steps"])
        best, best_id = set(), None
        for c in checklists:
            lines = {item["line"] for item in c["items"]}
            if len(lines & steps) > len(best):
                best, best_id = lines & steps, c["id"]
        found += len(best)
        total += len(steps)
        matched_steps.update((best_id, line) for line in best)
        if len(best) < len(steps):
            missed.append((proc, sorted(steps - best), best_id))
    extra = [s for s in emitted_steps if s not in matched_steps]
    return found, total, len(emitted_steps), missed, extra


class Tally:
    """Counts of one family (commands, queries...) for one split, by class."""

    def __init__(self):
        self.n = defaultdict(lambda: defaultdict(int))

    def add(self, cls, key, value=1):
        self.n[cls][key] += value
        self.n["all"][key] += value


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def score_runbook(label, rb, lines):
    """Per-runbook counts, and the misses and false positives for --show."""
    counts = defaultdict(int)
    tally = Tally()
    show = []
    cmds = emitted_commands(rb, lines)
    pairs, missed, extra = pair_by_line(label["commands"], cmds, lambda x: x["text"], lambda x: x["text"])
    spans = [(lab["line"], lab.get("end_line", lab["line"]), lab["how"]) for lab in label["commands"]]
    for lab, em in pairs:
        how = lab["how"]
        tally.add(how, "labelled")
        tally.add(how, "found")
        tally.add(how, "emitted_true")
        agree = lab["safety"] == em["safety"]
        tally.add(how, "safety_agree", int(agree))
        tally.add(how, "lang_agree", int(lab["lang"] == em.get("lang", "shell")))
        tally.add(how, "interactive_agree", int(lab["interactive"] == bool(em.get("interactive"))))
        if not agree:
            show.append(f"  safety {lab['line']}: {lab['safety']} labelled, {em['safety']} emitted: {em['text'][:90]}")
        if lab["lang"] != em.get("lang", "shell"):
            show.append(f"  lang   {lab['line']}: {lab['lang']} labelled, {em.get('lang')} emitted: {em['text'][:90]}")
    for lab in missed:
        tally.add(lab["how"], "labelled")
        show.append(f"  miss   {lab['line']} [{lab['how']}]: {lab['text'][:100]}")
    not_commands = {n["line"]: n["what"] for n in label["not_commands"]}
    for em in extra:
        # A false positive inside a labelled command (a loop's `done`) counts against its class.
        cls = next((how for a, b, how in spans if a <= em["line"] <= b), em["how"])
        tally.add(cls, "emitted_false")
        what = not_commands.get(em["line"])
        show.append(f"  extra  {em['line']} [{cls}]{' (' + what + ')' if what else ''}: {em['text'][:100]}")
    counts["commands_found"] = len(pairs)
    counts["commands_false"] = len(extra)
    counts["commands_safety"] = sum(lab["safety"] == em["safety"] for lab, em in pairs)

    qpairs, qmissed, qextra = pair_by_line(label["queries"], emitted_queries(rb), lambda x: x.get("text", ""), lambda x: x["text"])
    counts["queries_labelled"] = len(label["queries"])
    counts["queries_found"] = len(qpairs)
    counts["queries_false"] = len(qextra)
    show += [f"  miss   query {q['line']}: {q.get('text', '')[:100]}" for q in qmissed]
    show += [f"  extra  query {q['line']}: {q['text'][:100]}" for q in qextra]

    # The model keeps POST/PUT/... requests as endpoints with their method so `check --live` can
    # say it skipped them; the labels list only what a live check probes (GET and HEAD).
    probed = [e for e in rb["endpoints"] if e.get("method", "GET") in ("GET", "HEAD")]
    epairs, emissed, eextra = endpoint_pairs(label["endpoints"], probed)
    counts["endpoints_labelled"] = len(label["endpoints"])
    counts["endpoints_found"] = len(epairs)
    counts["endpoints_false"] = len(eextra)
    show += [f"  miss   endpoint {e['line']}: {e['url']}" for e in emissed]
    show += [f"  extra  endpoint {e['line']}: {e['url']} ({e['source']})" for e in eextra]

    found, total, emitted, pmissed, pextra = score_procedures(label["procedures"], rb["checklists"])
    counts["steps_labelled"] = total
    counts["steps_found"] = found
    counts["steps_false"] = emitted - found
    for proc, lost, best in pmissed:
        show.append(f"  miss   steps of procedure {proc['line']} ({proc['section']}): lines {lost}; best list {best}")
    show += [f"  extra  step {line} in {cid}" for cid, line in pextra]
    counts["commands_labelled"] = len(label["commands"])
    return counts, tally, show


def print_split(name, runbooks, tallies, totals):
    print(f"\n== {name}: {runbooks} runbooks (target {TARGET:.0%} each)")
    print(f"{'commands by class':<20} {'labelled':>8} {'recall':>7} {'precision':>9} {'safety':>7} {'lang':>7} {'interactive':>11}")
    for cls in ["all"] + HOWS:
        n = tallies.n.get(cls)
        if not n:
            continue
        emitted = n["emitted_true"] + n["emitted_false"]
        print(f"  {cls:<18} {n['labelled']:>8} {pct(n['found'], n['labelled']):>7} {pct(n['emitted_true'], emitted):>9} "
              f"{pct(n['safety_agree'], n['found']):>7} {pct(n['lang_agree'], n['found']):>7} {pct(n['interactive_agree'], n['found']):>11}")
    for fam in ["queries", "endpoints", "steps"]:
        lab, found, false = totals[fam + "_labelled"], totals[fam + "_found"], totals[fam + "_false"]
        print(f"  {fam:<18} {lab:>8} {pct(found, lab):>7} {pct(found, found + false):>9}")


def guard(floor, per_file):
    """Fails when an unchanged dev label file scores worse than its recorded floor."""
    failures = []
    for name, rec in floor.items():
        now = per_file.get(name)
        if now is None or now["hash"] != rec["hash"]:
            continue  # removed or relabelled: the floor no longer applies
        for key, was in rec["counts"].items():
            is_now = now["counts"].get(key, 0)
            worse = is_now > was if key.endswith("_false") else is_now < was
            if worse:
                failures.append(f"{name}: {key} {was} -> {is_now}")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opsbook", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--show", choices=["dev", "holdout"])
    ap.add_argument("--floor")
    ap.add_argument("--write-floor")
    args = ap.parse_args()

    labels = load_labels(args.labels) if os.path.isdir(args.labels) else []
    if not labels:
        print(f"extraction: no label files in {args.labels}")
        return 0
    paths = [resolve(lab["runbook"], args.root, args.shared) for lab in labels]
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        sys.exit(f"extraction: labelled runbook not found: {missing[0]}")
    model = inspect(args.opsbook, paths)

    tallies = {"dev": Tally(), "holdout": Tally()}
    totals = {"dev": defaultdict(int), "holdout": defaultdict(int)}
    count = defaultdict(int)
    per_file = {}
    for lab, path in zip(labels, paths):
        split = lab["split"]
        counts, tally, show = score_runbook(lab, model[path], source_lines(path))
        count[split] += 1
        for cls, n in tally.n.items():
            for key, value in n.items():
                tallies[split].n[cls][key] += value
        for key, value in counts.items():
            totals[split][key] += value
        if split == "dev":
            per_file[lab["_file"]] = {"hash": lab["_hash"], "counts": dict(counts)}
        if args.show == split and show:
            print(f"{lab['_file']} ({lab['runbook']})")
            print("\n".join(show))

    for split in ["dev", "holdout"]:
        if count[split]:
            print_split(split, count[split], tallies[split], totals[split])

    if args.write_floor:
        with open(args.write_floor, "w") as f:
            json.dump(per_file, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"\nfloor written to {args.write_floor} ({len(per_file)} dev label files)")
    if args.floor:
        floor = {}
        if os.path.exists(args.floor):
            with open(args.floor) as f:
                floor = json.load(f)
        failures = guard(floor, per_file)
        if failures:
            print("\nFAIL: dev-split extraction regressed (bench/extraction.sh --show dev lists the cases; "
                  "if the change is intended, record it with bench/extraction.sh --write-floor):")
            print("\n".join("  " + x for x in failures))
            return 1
        print("\ndev-split figures at or above the recorded floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
