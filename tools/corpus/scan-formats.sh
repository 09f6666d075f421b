#!/usr/bin/env bash
# Scans the published models the formats corpus adds to the benign corpus (fetch-formats.sh's
# extra/: MediaPipe TFLite models (one with sparse weights), onnxruntime's datasets, the Orbax
# checkpoints orbax-checkpoint ships, OCDBT and aggregate layouts, some deliberately damaged; the
# joblib files of every version since 0.8.4 that joblib ships as test data; PyTorch, HDF5 and
# Maven Central models; PyTorch test models and SentencePiece models from Debian's pool): as scan-benign.sh scans, nothing at medium or above (exit 1), every file
# scanned (else exit 2). INFO lines are left out.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$("$here/fetch-formats.sh")" || exit $?
exec "$here/scan-benign.sh" "$corpus/extra"
