#!/usr/bin/env bash
# Writes the malicious corpus (generate-malicious.py, outside the repository) and scans it: every
# sample must have a finding at high or above; the samples that do not are listed and the script
# exits 1. Needs python3 (standard library only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(python3 "$here/generate-malicious.py" "$@")"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
rc=0
"$here/../../modelseal" scan --format json --fail-on high "$out" > "$report" || rc=$?
if [ "$rc" -gt 1 ]; then
  echo "scan-malicious: the scan could not be carried out (exit $rc)" >&2
  exit 2
fi
python3 - "$out" "$report" <<'PY'
import json, os, sys
out, report = sys.argv[1], sys.argv[2]
r = json.load(open(report))
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
worst = {}
for f in r["findings"]:
    name = os.path.basename(f["file"])
    worst[name] = max(worst.get(name, -1), rank[f["severity"]])
techniques = dict(l.rstrip("\n").split("\t", 1) for l in open(os.path.join(out, "TECHNIQUES.tsv")))
missed = [n for n in sorted(techniques) if worst.get(n, -1) < rank["high"]]
for n in missed:
    level = [k for k, v in rank.items() if v == worst.get(n, -1)]
    print(f"MISSED {n} ({techniques[n]}): worst {level[0] if level else 'no finding'}")
print(f"scan-malicious: {len(techniques) - len(missed)} of {len(techniques)} samples flagged at high or above")
sys.exit(1 if missed else 0)
PY
