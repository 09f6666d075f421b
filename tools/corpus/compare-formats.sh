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
# modelseal over the list in runs of 200 files, two runs side by side (`fingerprint --json` of
# several paths prints one JSON line per path, in order; compare-formats.py reads them back)
mkdir "$work/out"
split -l 200 -d -a 4 "$work/list" "$work/out/p."
ls "$work/out" | xargs -P 2 -I{} bash -c \
  'mapfile -t f < "$1/$2"; "$0" fingerprint --json --tensors "${f[@]}" > "$1/$2.out" 2> "$1/$2.err"; true' \
  "$here/../../modelseal" "$work/out" {}
"$py" "$here/compare-formats.py" "$corpus" "$work/ref.jsonl" "$work/out" "$here/formats-known.tsv"
