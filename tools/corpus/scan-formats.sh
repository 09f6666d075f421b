#!/usr/bin/env bash
# Scans the published models the formats corpus adds to the benign corpus (fetch-formats.sh's
# extra/: MediaPipe TFLite models (one with sparse weights), onnxruntime's datasets, the Orbax
# checkpoints orbax-checkpoint ships, OCDBT and aggregate layouts, some deliberately damaged; the
# joblib files of every version since 0.8.4 that joblib ships as test data):
# any finding at medium or above fails (exit 1), as does a file that cannot be scanned (exit 2),
# like scan-benign.sh. INFO lines are left out.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$("$here/fetch-formats.sh")" || exit $?
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
"$here/../../modelseal" scan --fail-on medium --allow "$here/benign-allow.json" "$corpus/extra" > "$report"
rc=$?
grep -v '^INFO ' "$report"
exit "$rc"
