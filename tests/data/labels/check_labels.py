#!/usr/bin/env python3
"""Checks the hand-labelled truth files (tests/data/labels/*.json) against the format that
tests/data/labels/README.md documents: fields, enums, lines inside the runbook, the labelled
text present on its line, entries sorted and not overlapping. Python 3 standard library only.

usage: check_labels.py --root REPO --shared SHARED_DIR [--summary] [LABELS_DIR]
       check_labels.py --self-test   (proves each rule rejects a broken file)
"""
import argparse
import copy
import json
import os
import re
import sys

LANGS = {"shell", "powershell", "sql", "redis", "ruby", "python", "mongo", "other"}
SAFETY = {"read-only", "mutating", "destructive"}
HOWS = {"fenced", "session", "unlabelled-fence", "tool-fence", "inline-list", "inline-table",
        "inline-paragraph", "heredoc", "compound", "wrapped"}
NOT_COMMAND_KINDS = {"output", "comment", "promql", "yaml", "json", "log", "config", "path",
                     "resource-name", "prose", "placeholder-only", "url", "tool-name", "diagram", "prompt"}
QUERY_LANGS = {"promql", "logql", "kql", "other"}
STYLES = {"session", "k8s-alert", "openshift", "powershell", "inline-prose", "procedure",
          "docker", "compose", "heredoc", "compound", "wrapped", "global-options", "output",
          "promql", "sql", "redis", "ruby", "python", "mongo", "mysql", "tool-fence",
          "unlabelled-fence", "endpoints", "windows", "zsh"}
SPLITS = {"dev", "holdout"}
EXPECT = re.compile(r"^(?:[1-5](?:\d\d|xx))(?:\|[1-5](?:\d\d|xx))*$")

TOP = {"runbook": str, "split": str, "styles": list, "commands": list, "not_commands": list,
       "queries": list, "endpoints": list, "procedures": list}
FIELDS = {
    "commands": ({"line": int, "end_line": int, "text": str, "lang": str, "tool": str,
                  "safety": str, "how": str, "interactive": bool},
                 {"note": str, "wrapper": str}),
    "not_commands": ({"line": int, "what": str}, {"end_line": int, "text": str, "note": str}),
    "queries": ({"line": int, "end_line": int, "lang": str}, {"text": str, "note": str}),
    "endpoints": ({"line": int, "url": str, "expect": str}, {"note": str}),
    "procedures": ({"line": int, "section": str, "steps": list}, {"note": str}),
}
ENUMS = {("commands", "lang"): LANGS, ("commands", "safety"): SAFETY, ("commands", "how"): HOWS,
         ("not_commands", "what"): NOT_COMMAND_KINDS, ("queries", "lang"): QUERY_LANGS}


def resolve(runbook, root, shared):
    """Label paths are relative to the repository root; ../shared/ is the shared folder."""
    prefix = "../shared/"
    if runbook.startswith(prefix):
        return os.path.join(shared, runbook[len(prefix):])
    return os.path.join(root, runbook)


def check_fields(kind, i, entry, errors):
    required, optional = FIELDS[kind]
    where = f"{kind}[{i}]"
    if not isinstance(entry, dict):
        errors.append(f"{where}: not an object")
        return False
    for key, typ in required.items():
        if key not in entry:
            errors.append(f"{where}: missing '{key}'")
        elif type(entry[key]) is not typ:
            errors.append(f"{where}: '{key}' must be {typ.__name__}")
    for key in entry:
        if key not in required and key not in optional:
            errors.append(f"{where}: unknown field '{key}'")
        elif key in optional and type(entry[key]) is not optional[key]:
            errors.append(f"{where}: '{key}' must be {optional[key].__name__}")
    for (k, field), allowed in ENUMS.items():
        if k == kind and isinstance(entry.get(field), str) and entry[field] not in allowed:
            errors.append(f"{where}: {field} '{entry[field]}' is not one of {sorted(allowed)}")
    return not any(e.startswith(where + ":") for e in errors)


def span(entry):
    return entry["line"], entry.get("end_line", entry["line"])


def column(entry, lines):
    """Where the entry's text (an endpoint's url) starts on its line (0 when it has none)."""
    text = entry.get("text") or entry.get("url")
    return lines[entry["line"] - 1].find(text) if text else 0


def check_lines(kind, i, entry, lines, errors):
    where = f"{kind}[{i}] (line {entry['line']})"
    first, last = span(entry)
    if not 1 <= first <= last <= len(lines):
        errors.append(f"{where}: lines {first}-{last} outside the runbook (1-{len(lines)})")
        return False
    text = entry.get("text")
    if text is not None and (not text.strip() or text not in lines[first - 1]):
        errors.append(f"{where}: text {text!r} is not on line {first}: {lines[first - 1]!r}")
        return False
    if kind == "commands" and re.match(r"^(\$|#|PS [A-Z]:\\>|>>>)\s", entry["text"]):
        errors.append(f"{where}: text {entry['text']!r} still holds its prompt")
    if kind == "endpoints" and entry["url"] not in lines[first - 1]:
        errors.append(f"{where}: url {entry['url']!r} is not on line {first}")
    if kind == "endpoints" and not EXPECT.match(entry["expect"]):
        errors.append(f"{where}: expect {entry['expect']!r} is not like 200, 2xx or 2xx|3xx")
    if kind == "procedures":
        steps = entry["steps"]
        if len(steps) < 2 or any(type(s) is not int for s in steps):
            errors.append(f"{where}: steps must be two or more line numbers")
        elif steps != sorted(set(steps)) or steps[0] <= first or steps[-1] > len(lines):
            errors.append(f"{where}: steps must increase, follow the section line and lie in the file")
    return True


def overlaps(a, b):
    """Two entries overlap when their lines intersect, unless both are inline spans of one line."""
    (a1, a2), (b1, b2) = span(a), span(b)
    if a2 < b1 or b2 < a1:
        return False
    same_line_spans = a1 == a2 == b1 == b2 and a.get("text") and b.get("text")
    return not (same_line_spans and a["text"] != b["text"])


def check_order(kind, entries, lines, errors):
    key = (lambda e: e["steps"][0]) if kind == "procedures" else (lambda e: (e["line"], column(e, lines)))
    for prev, cur in zip(entries, entries[1:]):
        if key(cur) < key(prev) or (kind != "procedures" and key(cur) == key(prev)):
            errors.append(f"{kind}: line {cur['line']} is out of order or repeated after line {prev['line']}")
        elif kind in ("commands", "queries") and overlaps(prev, cur):
            errors.append(f"{kind}: line {cur['line']} overlaps the entry at line {prev['line']}")


def check_cross(doc, errors):
    """A not-command or query may share lines with a command only inside a multi-line command
    (a comment in a loop body) or as another inline span of the same line."""
    for kind in ("not_commands", "queries"):
        for other in doc[kind]:
            for cmd in doc["commands"]:
                multi_line = cmd["end_line"] > cmd["line"]
                if overlaps(cmd, other) and not multi_line:
                    errors.append(f"{kind}: line {other['line']} is also labelled a command")
    for q in doc["queries"]:
        for cmd in doc["commands"]:
            if overlaps(cmd, q):
                errors.append(f"queries: line {q['line']} lies inside the command at line {cmd['line']}")


def check_doc(doc, root, shared):
    errors = []
    if not isinstance(doc, dict):
        return ["top level: not an object"]
    for key, typ in TOP.items():
        if type(doc.get(key)) is not typ:
            errors.append(f"top level: '{key}' missing or not {typ.__name__}")
    for key in doc:
        if key not in TOP and key != "note":
            errors.append(f"top level: unknown field '{key}'")
    if errors:
        return errors
    if doc["split"] not in SPLITS:
        errors.append(f"split '{doc['split']}' is not one of {sorted(SPLITS)}")
    for style in doc["styles"]:
        if style not in STYLES:
            errors.append(f"style '{style}' is not one of {sorted(STYLES)}")
    path = resolve(doc["runbook"], root, shared)
    if not os.path.isfile(path):
        return errors + [f"runbook {doc['runbook']} not found (looked at {path})"]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for kind in FIELDS:
        good = [e for i, e in enumerate(doc[kind]) if check_fields(kind, i, e, errors)
                and check_lines(kind, i, e, lines, errors)]
        if len(good) == len(doc[kind]):
            check_order(kind, good, lines, errors)
    if not errors:
        check_cross(doc, errors)
    return errors


def summary_row(name, doc):
    """One line per file: split and how many entries of each kind (steps summed over procedures)."""
    steps = sum(len(p["steps"]) for p in doc["procedures"])
    counts = [len(doc[k]) for k in ("commands", "not_commands", "queries", "endpoints")]
    return f"{name:58} {doc['split']:8} " + " ".join(f"{n:5}" for n in counts + [steps])


def check_dir(labels_dir, root, shared, summary=False):
    files = sorted(f for f in os.listdir(labels_dir) if f.endswith(".json"))
    failed = 0
    runbooks = {}
    if summary:
        print(f"{'file':58} {'split':8}  cmds   not queries endpts steps")
    for name in files:
        try:
            with open(os.path.join(labels_dir, name), encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{name}: cannot read: {e}")
            failed += 1
            continue
        errors = check_doc(doc, root, shared)
        if isinstance(doc, dict) and doc.get("runbook") in runbooks:
            errors.append(f"runbook also labelled in {runbooks[doc['runbook']]}")
        elif isinstance(doc, dict) and isinstance(doc.get("runbook"), str):
            runbooks[doc["runbook"]] = name
        for e in errors:
            print(f"{name}: {e}")
        failed += bool(errors)
        if summary and not errors:
            print(summary_row(name, doc))
    print(f"check_labels: {len(files)} label files, {failed} with errors")
    return 1 if failed or not files else 0


def self_test():
    """Each rule must reject a file broken in the way it guards against."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "r.md"), "w", encoding="utf-8") as f:
            f.write("# R\n\n1. Look:\n\n```sh\n$ kubectl get pods\nNAME READY\n```\n\n"
                    "2. Run `systemctl status nginx` and `curl http://localhost:8080/health`\n")
        good = {"runbook": "r.md", "split": "dev", "styles": ["session"],
                "commands": [
                    {"line": 6, "end_line": 6, "text": "kubectl get pods", "lang": "shell",
                     "tool": "kubectl", "safety": "read-only", "how": "session", "interactive": False},
                    {"line": 10, "end_line": 10, "text": "systemctl status nginx", "lang": "shell",
                     "tool": "systemctl", "safety": "read-only", "how": "inline-list", "interactive": False},
                    {"line": 10, "end_line": 10, "text": "curl http://localhost:8080/health", "lang": "shell",
                     "tool": "curl", "safety": "read-only", "how": "inline-list", "interactive": False}],
                "not_commands": [{"line": 7, "what": "output"}],
                "queries": [],
                "endpoints": [{"line": 10, "url": "http://localhost:8080/health", "expect": "2xx|3xx"}],
                "procedures": [{"line": 1, "section": "R", "steps": [3, 10]}]}
        breakages = {
            "valid file": lambda d: None,
            "missing field": lambda d: d["commands"][0].pop("safety"),
            "unknown field": lambda d: d["commands"][0].update(colour="red"),
            "bad enum": lambda d: d["commands"][0].update(safety="harmless"),
            "bad split": lambda d: d.update(split="test"),
            "bad style": lambda d: d["styles"].append("fancy"),
            "line outside file": lambda d: d["not_commands"][0].update(line=99),
            "end before line": lambda d: d["commands"][0].update(end_line=5),
            "text not on line": lambda d: d["commands"][0].update(line=7, end_line=7),
            "prompt left in text": lambda d: d["commands"][0].update(text="$ kubectl get pods"),
            "unsorted": lambda d: d["commands"].reverse(),
            "overlap": lambda d: d["commands"][0].update(end_line=10),
            "not-command on a command": lambda d: d["not_commands"].insert(0, {"line": 6, "what": "output"}),
            "url not on line": lambda d: d["endpoints"][0].update(url="http://localhost:9/x"),
            "bad expect": lambda d: d["endpoints"][0].update(expect="ok"),
            "unsorted steps": lambda d: d["procedures"][0].update(steps=[10, 3]),
            "missing runbook": lambda d: d.update(runbook="nope.md"),
        }
        failures = 0
        for name, breakage in breakages.items():
            doc = copy.deepcopy(good)
            breakage(doc)
            errors = check_doc(doc, tmp, tmp)
            ok = not errors if name == "valid file" else bool(errors)
            print(f"self-test {'ok  ' if ok else 'FAIL'} {name}: {errors[:1] or 'accepted'}")
            failures += not ok
        return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", help="repository root (label paths are relative to it)")
    parser.add_argument("--shared", help="the shared folder that ../shared/ in label paths names")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--summary", action="store_true", help="print the counts of each file")
    parser.add_argument("labels_dir", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    root = args.root or os.path.normpath(os.path.join(args.labels_dir, "..", "..", ".."))
    shared = args.shared or os.path.join(root, "..", "shared")
    if not args.shared and not os.path.isdir(shared):  # a git worktree under <repo>/../wt/<name>
        shared = os.path.join(root, "..", "..", "shared")
    return check_dir(args.labels_dir, root, shared, args.summary)


if __name__ == "__main__":
    sys.exit(main())
