#!/usr/bin/env python3
"""Runs other scanners, from their own source checkouts (never committed here), over a corpus and
prints, per tool, how many files it flags. Used for the comparison table in docs/scanning.md.

usage: PYTHONPATH=<picklescan/src>:<fickling>:<modelscan> [PROMPTFOO_DISABLE_TELEMETRY=1] \\
           compare-scanners.py [--timeout S] [--every K] [--recycle N] [--log FILE] \\
           CORPUS_DIR [TOOL ...]

TOOL is any of picklescan, fickling, modelscan, modelaudit (default: all four, one after the
other). Run it with a Python whose environment holds the tools and their dependencies;
modelaudit is imported as `modelaudit` (an editable install of its checkout: it reads its own
package metadata, so a bare PYTHONPATH entry is not enough). The script sets
PROMPTFOO_DISABLE_TELEMETRY=1 and NO_ANALYTICS=1 in the children in any case.

Every regular file under CORPUS_DIR is scanned on its own, in sorted path order, except
TECHNIQUES.tsv (generate-malicious.py's index). --every K scans only every K-th file of that
order (the 1st, the K+1-th, ...): a deterministic subset for a slow tool.

A file counts as flagged (FLAG)
- by picklescan when scan_file_path() reports an infected file (a global it rates dangerous);
  otherwise ERR when it sets scan_err, else OK;
- by fickling when is_likely_safe() is False (this includes a file it cannot parse as a pickle:
  fickling has no notion of other formats); otherwise OK;
- by modelscan when ModelScan().scan() reports an issue (any severity); otherwise ERR when it
  reports errors, else OK;
- by modelaudit when core.scan_model_directory_or_file() returns an issue of severity WARNING or
  CRITICAL (what makes its CLI exit 1); otherwise ERR when it reports has_errors or not success
  (its CLI's exit 2), else OK. INFO and DEBUG issues never flag. The output also gives the count
  at CRITICAL only ("critical"), and marks a flag all of whose issues name a missing optional
  package ("missing_dependency", e.g. tflite not installed).
A tool that raises on a file counts it as an error (ERR, not flagged).

Each tool runs in one long-lived child process (sys.executable) that reads file paths on its
stdin and answers one JSON line per file; the tools' own output is sent to /dev/null (or to
--log). A file that takes longer than --timeout seconds (default 60), or on which the child dies,
counts as ERR; the child is then killed (its whole process group) and a new one started for the
next file. --recycle N restarts the child every N files (default 250; 0: never) so that no
tool's state or memory carries across the whole corpus.

The JSON printed on stdout has, per tool: the module it loaded (path and version), counts
(OK/FLAG/ERR), the flagged files with the tool's reasons (the first few), the ERR files with
theirs, and the wall time. Progress goes to stderr.
"""
import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

# The child: PROBE(path) -> (verdict, reasons, extra); INFO() -> dict describing the tool.
CHILD = r'''
import json, os, sys, traceback
out = os.fdopen(os.dup(1), "w", buffering=1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 1)
sys.stdout = sys.stderr
import logging
logging.disable(logging.CRITICAL)
import warnings
warnings.simplefilter("ignore")
%s
try:
    info = INFO()
except BaseException as e:
    out.write(json.dumps({"ready": False, "why": "%%s: %%s" %% (type(e).__name__, e)}) + "\n")
    sys.exit(1)
out.write(json.dumps({"ready": True, "info": info}) + "\n")
for line in sys.stdin:
    path = json.loads(line)
    try:
        v, why, extra = PROBE(path)
    except BaseException as e:
        v, why, extra = "ERR", ["%%s: %%s" %% (type(e).__name__, str(e)[:300])], {}
    out.write(json.dumps({"v": v, "why": why[:5], "extra": extra}) + "\n")
'''

PROBES = {
    "picklescan": r'''
def INFO():
    import picklescan, picklescan.scanner
    return {"module": picklescan.__file__, "version": getattr(picklescan, "__version__", None)}
def PROBE(p):
    from picklescan.scanner import scan_file_path, SafetyLevel
    r = scan_file_path(p)
    bad = ["%s.%s" % (g.module, g.name) for g in r.globals if g.safety == SafetyLevel.Dangerous]
    if r.infected_files > 0:
        return "FLAG", ["dangerous global " + g for g in bad] or ["infected"], {}
    return ("ERR", ["scan_err"], {}) if r.scan_err else ("OK", [], {})
''',
    "fickling": r'''
def INFO():
    import fickling
    return {"module": fickling.__file__, "version": getattr(fickling, "__version__", None)}
def PROBE(p):
    import fickling
    if fickling.is_likely_safe(p):
        return "OK", [], {}
    why = []
    try:  # the reasons only; the verdict is is_likely_safe()'s
        from fickling.fickle import Pickled
        from fickling.analysis import check_safety
        with open(p, "rb") as f:
            pk = Pickled.load(f, fail_on_decode_error=False)
        if pk.has_invalid_opcode:
            why = ["invalid opcode (not parsed as a pickle)"]
        else:
            why = [l for l in str(check_safety(pk)).splitlines() if l.strip()]
    except BaseException as e:
        why = ["(reasons not computed: %s)" % type(e).__name__]
    return "FLAG", why, {}
''',
    "modelscan": r'''
def INFO():
    import modelscan
    from modelscan.modelscan import ModelScan
    return {"module": modelscan.__file__, "version": getattr(modelscan, "__version__", None)}
def PROBE(p):
    from modelscan.modelscan import ModelScan
    r = ModelScan().scan(p)
    if r["summary"].get("total_issues", 0):
        why = ["%s: %s" % (i.get("severity"), i.get("description")) for i in r.get("issues", [])]
        return "FLAG", why, {}
    if r.get("errors"):
        return "ERR", [str(e.get("description", e)) for e in r["errors"]], {}
    return "OK", [], {}
''',
    "modelaudit": r'''
def INFO():
    import modelaudit
    from modelaudit.core import scan_model_directory_or_file
    from modelaudit.scanners import _registry
    s = _registry.get_available_scanners_summary()
    return {"module": modelaudit.__file__, "version": getattr(modelaudit, "__version__", None),
            "failed_scanners": s.get("failed_scanner_details", {})}
def PROBE(p):
    from modelaudit.core import scan_model_directory_or_file
    from modelaudit.scanners.base import IssueSeverity
    r = scan_model_directory_or_file(p)
    sev = lambda i: getattr(i.severity, "value", i.severity)
    hits = [i for i in r.issues if sev(i) in ("warning", "critical")]
    def line(i):
        d = i.details or {}
        dep = " [needs %s]" % d["required_package"] if d.get("required_package") else ""
        code = " (%s)" % i.rule_code if getattr(i, "rule_code", None) else ""
        return "%s%s: %s%s" % (sev(i), code, i.message, dep)
    if hits:
        hits.sort(key=lambda i: sev(i) != "critical")
        extra = {"critical": any(sev(i) == "critical" for i in hits),
                 "missing_dependency": all((i.details or {}).get("required_package") for i in hits)}
        return "FLAG", [line(i) for i in hits], extra
    if r.has_errors or not r.success:
        return "ERR", [line(i) for i in r.issues if sev(i) == "info"] or ["has_errors"], {}
    return "OK", [], {}
''',
}


def files(root):
    found = []
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in names:
            p = os.path.join(d, n)
            if n != "TECHNIQUES.tsv" and os.path.isfile(p):
                found.append(p)
    return sorted(found, key=lambda p: os.path.relpath(p, root))


class Child:
    """One long-lived child running a tool's probe; answers one JSON line per path."""

    def __init__(self, tool, log):
        self.tool, self.log = tool, log
        self.proc = None

    def start(self, timeout):
        env = dict(os.environ, PROMPTFOO_DISABLE_TELEMETRY="1", NO_ANALYTICS="1",
                   PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD % PROBES[self.tool]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, env=env, start_new_session=True, cwd=tempfile.gettempdir())
        self.lines = queue.Queue()
        t = threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True)
        t.start()
        msg = self._read(timeout)
        if not msg or not msg.get("ready"):
            self.stop()
            raise RuntimeError("%s did not start: %s" % (self.tool, (msg or {}).get("why", "no answer")))
        return msg["info"]

    @staticmethod
    def _pump(stream, q):
        for line in stream:
            q.put(line)
        q.put(None)

    def _read(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self.died = True
                return None
            try:
                return json.loads(line)
            except ValueError:
                continue  # not ours (the child's stdout is redirected, but be safe)

    def ask(self, path, timeout):
        self.died = False
        try:
            self.proc.stdin.write(json.dumps(path) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.died = True
            return None
        return self._read(timeout)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the child's own group (start_new_session)
            except ProcessLookupError:
                pass
        self.proc.wait()
        for s in (self.proc.stdin, self.proc.stdout):
            try:
                s.close()
            except OSError:
                pass
        self.proc = None


def run_tool(tool, root, paths, args, log):
    counts = {"OK": 0, "FLAG": 0, "ERR": 0}
    flagged, errors, critical, dep_only = [], [], 0, 0
    child = Child(tool, log)
    start = time.monotonic()
    info = child.start(max(args.timeout, 180))
    done_since_start = 0
    for n, path in enumerate(paths, 1):
        if child.proc is None or (args.recycle and done_since_start >= args.recycle):
            child.stop()
            child.start(max(args.timeout, 180))
            done_since_start = 0
        t0 = time.monotonic()
        msg = child.ask(path, args.timeout)
        done_since_start += 1
        rel = os.path.relpath(path, root)
        if msg is None:
            died = child.died
            child.stop()
            v, why, extra = "ERR", ["child died" if died else "timeout after %ss" % args.timeout], {}
        else:
            v, why, extra = msg["v"], msg["why"], msg.get("extra") or {}
        counts[v] += 1
        entry = {"file": rel, "why": why, "seconds": round(time.monotonic() - t0, 2)}
        if v == "FLAG":
            flagged.append(dict(entry, **extra))
            critical += bool(extra.get("critical"))
            dep_only += bool(extra.get("missing_dependency"))
        elif v == "ERR":
            errors.append(entry)
        if n % 100 == 0 or n == len(paths):
            el = time.monotonic() - start
            print("%s: %d/%d files, %.1fs (%.2f s/file) %s" % (tool, n, len(paths), el, el / n, counts),
                  file=sys.stderr, flush=True)
    child.stop()
    res = {"tool": info, "files": len(paths), "counts": counts}
    if tool == "modelaudit":
        res["critical"] = critical
        res["flagged_only_for_a_missing_dependency"] = dep_only
    res.update(flagged=flagged, errors=errors, seconds=round(time.monotonic() - start, 1))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("tools", nargs="*")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per file (default 60)")
    ap.add_argument("--every", type=int, default=1, help="scan every K-th file only")
    ap.add_argument("--recycle", type=int, default=250, help="restart the child every N files")
    ap.add_argument("--log", help="file for the tools' own output (default /dev/null)")
    args = ap.parse_args()
    tools = args.tools or list(PROBES)
    for t in tools:
        if t not in PROBES:
            ap.error("unknown tool %r (known: %s)" % (t, ", ".join(PROBES)))
    root = os.path.abspath(args.corpus)
    paths = files(root)[:: max(args.every, 1)]
    result = {"corpus": root, "every": args.every}
    log = open(args.log, "a") if args.log else subprocess.DEVNULL
    for t in tools:
        try:
            result[t] = run_tool(t, root, paths, args, log)
        except RuntimeError as e:
            result[t] = {"failed": str(e)}
        print(t, result[t].get("counts", result[t].get("failed")), file=sys.stderr, flush=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
