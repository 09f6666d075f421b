#!/usr/bin/env bash
# The formats corpus test: every model of the formats corpus (fetch-formats.sh) fingerprinted by
# modelseal (`modelseal fingerprint --json --tensors`) and by an independent Python implementation
# of docs/fingerprint.md over the reference libraries (fingerprint-reference.py), compared tensor
# by tensor (compare-formats.py). A format whose Python library is missing is skipped with a
# message, never failed; with no numpy at all the whole test is skipped. Exit 1 on a disagreement.
#   MODELSEAL_PYTHON  the Python to use (default python3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${MODELSEAL_PYTHON:-python3}"
if ! "$py" -c 'import numpy' > /dev/null 2>&1; then
  echo "compare-formats: skipped: $py has no numpy (apt-get install python3-numpy)"
  exit 0
fi
corpus="$("$here/fetch-formats.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$corpus" && find -L . -type f \( -name '*.npy' -o -name '*.npz' -o -name '*.onnx' \
  -o -name '*.tflite' -o -name '*manifest.json' -o -name model.json -o -name '*.safetensors' \
  -o -name '*.gguf' -o -name '*.msgpack' -o -name '*.pt' -o -name '*.pth' -o -name '*.h5' -o -name '*.hdf5' -o -name '*.keras' \); find -L . -type f -name _METADATA -exec dirname {} \;) \
  | LC_ALL=C sort | sed "s|^\./|$corpus/|" > "$work/list"
"$py" "$here/fingerprint-reference.py" < "$work/list" > "$work/ref.jsonl" 2> "$work/ref.err" \
  || { cat "$work/ref.err" >&2; exit 2; }
mkdir "$work/out"
# modelseal over the list in runs of 200 files, two runs side by side: `fingerprint --json` of
# several paths prints one JSON line per path, in order (its fingerprint, or the error document of
# a path it refuses; a lone path prints one pretty document); the results are split back into
# OUT/i.json, i.err and i.rc per file
mkdir "$work/parts"
split -l 200 -d -a 4 "$work/list" "$work/parts/p."
ls "$work/parts" | xargs -P 2 -I{} bash -c \
  'mapfile -t f < "$1/$2"; "$0" fingerprint --json --tensors "${f[@]}" > "$1/$2.out" 2> "$1/$2.err"; true' \
  "$here/../../modelseal" "$work/parts" {}
"$py" - "$work" <<'PY' || exit 2
import json, os, sys
work = sys.argv[1]
parts = os.path.join(work, "parts")
i = 0
for name in sorted(n for n in os.listdir(parts) if "." not in n[2:]):
    paths = open(os.path.join(parts, name)).read().splitlines()
    text = open(os.path.join(parts, name + ".out")).read()
    lines = [text] if len(paths) == 1 and text.strip() else text.splitlines()
    if len(lines) != len(paths):
        err = open(os.path.join(parts, name + ".err"), errors="replace").read().strip()
        sys.exit("compare-formats: modelseal printed %d results for the %d files of %s (%s)"
                 % (len(lines), len(paths), name, err.splitlines()[-1] if err else "no message"))
    for line in lines:
        doc = json.loads(line)
        failed = "exitCode" in doc
        base = os.path.join(work, "out", str(i))
        with open(base + ".json", "w") as f:
            f.write("" if failed else line)
        with open(base + ".err", "w") as f:
            f.write("modelseal: " + doc["message"] if failed else "")
        with open(base + ".rc", "w") as f:
            f.write(str(doc["exitCode"] if failed else 0))
        i += 1
PY
"$py" "$here/compare-formats.py" "$corpus" "$work/ref.jsonl" "$work/out" "$here/formats-known.tsv"
