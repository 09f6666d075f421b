#!/usr/bin/env bash
# TFLite fingerprint benchmark: `modelseal fingerprint` of a SIZE TFLite model (float32 weights
# stored after the flatbuffer, as large models are written; written by flatc with
# modelseal-formats/src/test/resources/fixtures/tflite/generate_tflite.py) against `modelseal hash`
# of the same file, in one run. Prints both times, the throughput ratio (target >= 0.7) and the
# peak resident memory of each (memory flat: independent of the model size).
#
#   benchmarks/bench-tf-lite.sh [--size-mib N] [--tensors T] [--runs R] [--data DIR]
#
# Needs /usr/bin/flatc, python3 and the CLI jar (./mvnw -q -B -pl modelseal-cli -am package
# -DskipTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mib=1024
tensors=16
runs=3
data="$root/bench-data"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --tensors) tensors=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "bench-tf-lite.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench-tf-lite.sh: build first: ./mvnw -q -B -pl modelseal-cli -am package -DskipTests" >&2
  exit 2; }
command -v flatc > /dev/null || { echo "bench-tf-lite.sh: flatc not found" >&2; exit 2; }
mkdir -p "$data"
model="$data/bench-${size_mib}m-${tensors}.tflite"
if [ ! -f "$model" ]; then
  echo "writing $model ..." >&2
  PYTHONPATH="${PYTHONPATH:-/opt/fixture-writers/usr/lib/python3/dist-packages}" python3 -c "
import sys; sys.path.insert(0, '$root/modelseal-formats/src/test/resources/fixtures/tflite')
import generate_tflite
generate_tflite.write_large('$model', $tensors, $size_mib * 1048576 // $tensors)"
fi
cat "$model" > /dev/null  # warm the page cache

ms="$root/modelseal"
"$ms" hash "$model" > /dev/null  # the first run may create the class-data archive
now() { date +%s%N; }
time_cmd() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo "scale=4; ($t1 - $t0) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { local i; for i in $(seq "$runs"); do time_cmd "$@"; done | median; }
rss_kib() { /usr/bin/time -f %M "$@" 2>&1 > /dev/null | tail -1; }

t_hash=$(measure "$ms" hash "$model")
t_fp=$(measure "$ms" fingerprint "$model")
m_hash=$(rss_kib "$ms" hash "$model")
m_fp=$(rss_kib "$ms" fingerprint "$model")
bytes=$(stat -c %s "$model")
gibs() { echo "scale=2; $bytes / 1073741824 / $1" | bc; }
cat <<TABLE
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)
data: $model, $bytes bytes, $tensors float32 tensors; median of $runs runs; page cache warm

| command | s | GiB/s | peak RSS MiB |
|---|---|---|---|
| modelseal hash | $t_hash | $(gibs "$t_hash") | $((m_hash / 1024)) |
| modelseal fingerprint | $t_fp | $(gibs "$t_fp") | $((m_fp / 1024)) |

fingerprint throughput / hash throughput = $(echo "scale=2; $t_hash / $t_fp" | bc) (target >= 0.7)
TABLE
