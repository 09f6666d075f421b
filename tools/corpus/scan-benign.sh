#!/usr/bin/env bash
# Fetches the benign corpus (fetch-benign.sh) and scans it: any finding at medium or above fails
# (exit 1), as does a file that cannot be scanned (exit 2). The only accepted findings are the
# reviewed globals in benign-allow.json (reported as suppressed). INFO lines are left out.
#   scan-benign.sh [DIR]   scan DIR the same way instead of the benign corpus (scan-formats.sh)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -gt 0 ]; then
  corpus="$1"
else
  corpus="$("$here/fetch-benign.sh")" || exit $?
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
"$here/../../modelseal" scan --fail-on medium --allow "$here/benign-allow.json" "$corpus" > "$report"
rc=$?
grep -v '^INFO ' "$report"
exit "$rc"
