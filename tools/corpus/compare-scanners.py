#!/usr/bin/env python3
"""Runs other scanners, from their own source checkouts (never committed here), over a corpus and
prints, per tool, how many files it flags. Used for the comparison table in docs/scanning.md.

usage: PYTHONPATH=<picklescan/src>:<fickling>:<modelscan> compare-scanners.py CORPUS_DIR

A file counts as flagged by picklescan when scan_file_path reports an infected file (a dangerous
global), by fickling when is_likely_safe() is False, by modelscan when ModelScan().scan() reports
an issue. A tool that raises on a file counts it as an error (not flagged). Each tool runs in a
child process per file with a timeout, so a hang or crash in one tool is counted, not fatal.
"""
import json
import os
import subprocess
import sys

PROBES = {
    "picklescan": (
        "from picklescan.scanner import scan_file_path; r = scan_file_path(P); "
        "print('FLAG' if r.infected_files > 0 else ('ERR' if r.scan_err else 'OK'))"
    ),
    "fickling": (
        "import fickling; print('OK' if fickling.is_likely_safe(P) else 'FLAG')"
    ),
    "modelscan": (
        "import logging; logging.disable(logging.CRITICAL);"
        "from modelscan.modelscan import ModelScan; r = ModelScan().scan(P);"
        "s = r['summary']; n = s.get('total_issues', 0);"
        "print('FLAG' if n else ('ERR' if r.get('errors') else 'OK'))"
    ),
}


def files(root):
    for d, _, names in os.walk(root):
        for n in sorted(names):
            if n != "TECHNIQUES.tsv":
                yield os.path.join(d, n)


def probe(tool, path):
    code = "P = %r\n%s" % (path, PROBES[tool])
    try:
        p = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        return "ERR"
    last = p.stdout.strip().splitlines()[-1:] or ["ERR"]
    return last[0] if last[0] in ("OK", "FLAG", "ERR") else "ERR"


def main():
    root = sys.argv[1]
    tools = sys.argv[2:] or list(PROBES)
    result = {}
    for t in tools:
        counts = {"OK": 0, "FLAG": 0, "ERR": 0}
        flagged = []
        for f in files(root):
            v = probe(t, f)
            counts[v] += 1
            if v == "FLAG":
                flagged.append(os.path.relpath(f, root))
        result[t] = {"counts": counts, "flagged": flagged}
        print(t, counts, file=sys.stderr)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
