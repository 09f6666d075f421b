#!/usr/bin/env python3
"""Compares, file by file and tensor by tensor, the reference fingerprints
(fingerprint-reference.py's JSON lines) with `modelseal fingerprint --json --tensors` outputs.

  compare-formats.py CORPUS REF.jsonl OUTDIR KNOWN.tsv

OUTDIR holds the runs of `modelseal fingerprint --json --tensors PATH...` over the corpus files in
the order of REF.jsonl: per run, the list of its paths (p.NNNN), its standard output (p.NNNN.out:
one JSON line per path, in order, a fingerprint or the error document of a refused path; a run of
one path prints one pretty document) and its standard error (p.NNNN.err). KNOWN.tsv lists files modelseal is
known to refuse although the reference reads them (pattern<TAB>reason; fnmatch on the path
relative to CORPUS): reported, not failed. Exit 1 on any other disagreement.
"""
import fnmatch
import json
import os
import sys


def fail(why):
    """The comparison could not be carried out: exit 2 (a disagreement is exit 1)."""
    print("compare-formats: " + why, file=sys.stderr)
    sys.exit(2)


def results(outdir):
    """modelseal's (exit code, message, document) per corpus file, in order, from its runs."""
    out = []
    for name in sorted(n for n in os.listdir(outdir) if "." not in n[2:]):
        paths = open(os.path.join(outdir, name)).read().splitlines()
        text = open(os.path.join(outdir, name + ".out")).read()
        lines = [text] if len(paths) == 1 and text.strip() else text.splitlines()
        if len(lines) != len(paths):
            err = open(os.path.join(outdir, name + ".err"), errors="replace").read().strip()
            fail("modelseal printed %d results for the %d files of %s (%s)"
                 % (len(lines), len(paths), name, err.splitlines()[-1] if err else "no message"))
        for line in lines:
            doc = json.loads(line)
            if "exitCode" in doc:  # the error document of a refused path
                out.append((doc["exitCode"], "modelseal: " + doc["message"], None))
            else:
                out.append((0, "", doc))
    return out


def main(corpus, ref_path, outdir, known_path):
    known = []
    with open(known_path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                pat, reason = line.rstrip("\n").split("\t", 1)
                known.append((pat, reason))
    counts = {"agreed": 0, "tensors": 0, "both_refused": 0, "known": 0, "skipped": 0,
              "failed": 0, "empty": 0}
    by_format = {}
    skipped_why = {}
    used_known = set()
    failures = []
    with open(ref_path) as f:
        refs = [json.loads(line) for line in f]
    got_all = results(outdir)
    if len(got_all) != len(refs):
        fail("%d modelseal results for %d reference records" % (len(got_all), len(refs)))
    for ref, (rc, err, out) in zip(refs, got_all):
        rel = os.path.relpath(ref["path"], corpus)
        if "skipped" in ref:
            counts["skipped"] += 1
            skipped_why[ref["skipped"]] = skipped_why.get(ref["skipped"], 0) + 1
            continue
        fmt = ref["format"]
        if "refused" in ref:
            if rc == 2:
                counts["both_refused"] += 1
            else:
                failures.append("%s: the reference refuses it (%s) but modelseal exits %d"
                                % (rel, ref["refused"], rc))
            continue
        if rc != 0:
            match = [r for p, r in known if fnmatch.fnmatch(rel, p)]
            if rc == 2 and match:
                counts["known"] += 1
                used_known.add(match[0])
            else:
                failures.append("%s: modelseal exits %d (%s); the reference reads %d tensors"
                                % (rel, rc, err[:200], len(ref["tensors"])))
            continue
        got = {t["name"]: t["digest"] for t in out["tensors"]}
        want = ref["tensors"]
        if got != want:
            diff = sorted(set(got.items()) ^ set(want.items()))[:3]
            failures.append("%s: %d tensors differ (modelseal %d, reference %d), e.g. %s"
                            % (rel, len(set(got.items()) ^ set(want.items())), len(got),
                               len(want), diff))
            continue
        if want:
            counts["agreed"] += 1
            counts["tensors"] += len(want)
            b = by_format.setdefault(fmt, [0, 0])
            b[0] += 1
            b[1] += len(want)
        else:
            counts["empty"] += 1
    counts["failed"] = len(failures)
    for line in failures:
        print("compare-formats: MISMATCH " + line)
    for why, n in sorted(skipped_why.items()):
        print("compare-formats: skipped %d files: %s" % (n, why))
    for p, r in known:
        if r in used_known:
            print("compare-formats: known refusal (%s): %s" % (p, r))
    print("compare-formats: %d models agreed on all %d tensors (%s); %d files with no tensors "
          "agreed; %d refused by both; %d known refusals; %d skipped; %d disagreements"
          % (counts["agreed"], counts["tensors"],
             ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(by_format.items())),
             counts["empty"], counts["both_refused"], counts["known"], counts["skipped"],
             counts["failed"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
