#!/usr/bin/env bash
# modelseal reader benchmark (issue 13): `modelseal fingerprint PATH` against `modelseal hash PATH`
# for the formats read since the first fingerprint benchmark, on the same tensors written by each
# format's real writer (readers_data.py), in one run; prints the ratios (hash time / fingerprint
# time: >= 1.0 means fingerprinting is at least as fast as hashing the same bytes).
#
#   benchmarks/bench-readers.sh [--size-gib N] [--runs R] [--data DIR] [--xmx SIZE]
#
# Cases: Orbax (OCDBT, orbax's default, and the zarr v3 array directories), Flax msgpack, joblib,
# plain HDF5 datasets, a TensorFlow SavedModel; target >= 0.8x each. Each timing is the median of
# R runs (hash and fingerprint alternating), page cache warm, JVM start-up included; fingerprints
# run with a heap of --xmx (default 64m). Peak RSS and CPU of one more run of each are reported,
# and all models must have the same content digest (the same tensors in every format).
# Needs a Python ($MODELSEAL_BENCH_PYTHON, default python3) with numpy and the writers
# (orbax-checkpoint, flax, joblib, h5py, tensorflow); a missing writer skips that format.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_gib=1
runs=3
data="$root/bench-data/readers"
xmx=64m
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gib) size_gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    *) echo "bench-readers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$root/modelseal" ] && [ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench-readers.sh: build first: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-readers.sh: /usr/bin/time not found" >&2; exit 2; }
python=${MODELSEAL_BENCH_PYTHON:-python3}

stamp="$data/size-gib-$size_gib"
if [ ! -f "$stamp" ]; then
  echo "generating $size_gib GiB models in $data ..." >&2
  rm -rf "$data"
  mkdir -p "$data"
  "$python" "$here/readers_data.py" "$data" "$size_gib"
  touch "$stamp"
fi
cases=""
for c in orbax-ocdbt orbax-zarr3 model.msgpack model.joblib model.h5 savedmodel; do
  [ -e "$data/$c" ] && cases="$cases $c"
done
[ -n "$cases" ] || { echo "bench-readers.sh: no model was written (no writer installed?)" >&2; exit 2; }
for c in $cases; do find "$data/$c" -type f -exec cat {} + > /dev/null; done  # warm the page cache

now() { date +%s%N; }
time_cmd() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo "scale=4; ($t1 - $t0) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rss_cpu() { /usr/bin/time -f "%M %U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%d MiB, %.2f s", $1 / 1024, $2 + $3}'; }

ms="$root/modelseal"
fp() { MODELSEAL_JAVA_OPTS="-Xmx$xmx ${MODELSEAL_JAVA_OPTS:-}" "$ms" fingerprint "$@"; }
hash() { "$ms" hash "$@"; }
"$ms" hash "$data/size-gib-$size_gib" > /dev/null  # first run may create the class-data archive

load0=$(cut -d' ' -f1-3 /proc/loadavg)
contents=""
rows=""
for c in $cases; do
  content=$(fp "$data/$c" | awk '/^content/ {print $2}')
  [ -n "$content" ] || { echo "bench-readers.sh: fingerprint of $c failed" >&2; fp "$data/$c" >&2 || true; exit 1; }
  contents="$contents $content"
  : > "$data/times.hash"; : > "$data/times.fp"
  for i in $(seq "$runs"); do
    time_cmd hash "$data/$c" >> "$data/times.hash"
    time_cmd fp "$data/$c" >> "$data/times.fp"
  done
  t_hash=$(median < "$data/times.hash")
  t_fp=$(median < "$data/times.fp")
  rss_hash=$(rss_cpu "$ms" hash "$data/$c")
  rss_fp=$(MODELSEAL_JAVA_OPTS="-Xmx$xmx ${MODELSEAL_JAVA_OPTS:-}" rss_cpu "$ms" fingerprint "$data/$c")
  ratio=$(echo "scale=2; $t_hash / $t_fp" | bc)
  met=$(echo "$ratio >= 0.8" | bc)
  [ "$met" = 1 ] && met="met" || met="not met"
  bytes=$(du -sb "$data/$c" | cut -f1)
  mib=$(echo "scale=0; $bytes / 1048576" | bc)
  rows="$rows| $c | $mib | $t_hash | $t_fp | **$ratio** | >= 0.8 ($met) | $rss_hash | $rss_fp |
"
done
same=$(echo $contents | tr ' ' '\n' | sort -u | wc -l)
[ "$same" = 1 ] && agree="every format has content digest $(echo $contents | cut -d' ' -f1)" \
  || agree="CONTENT DIGESTS DIFFER:$contents"

cat <<TABLE
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)
load average at start of measurements: $load0; at end: $(cut -d' ' -f1-3 /proc/loadavg)
data: $size_gib GiB of tensors (fingerprint_data.py) per format; median of $runs runs; page cache warm; fingerprint heap -Xmx$xmx
$agree

| model | MiB on disk | hash s | fingerprint s | ratio (hash time / fingerprint time) | target | hash: peak RSS, CPU | fingerprint: peak RSS, CPU |
|---|---|---|---|---|---|---|---|
$rows
TABLE
[ "$same" = 1 ]
