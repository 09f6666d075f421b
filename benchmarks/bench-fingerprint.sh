#!/usr/bin/env bash
# modelseal fingerprint benchmark: compares `modelseal fingerprint FILE` with `modelseal hash FILE`
# on the same generated models, in one run, and prints the ratios (fingerprint throughput relative
# to hash; >= 1.0 means fingerprinting is at least as fast as hashing the file).
#
#   benchmarks/bench-fingerprint.sh [--size-gib N] [--runs R] [--data DIR] [--xmx SIZE]
#
# Cases: one set of random float32/float16 tensors (embeddings of SIZE/8, layer matrices of SIZE/32
# and SIZE/16, small norm vectors; see fingerprint_data.py) written by the real writers as
#   safetensors   safetensors.numpy.save_file      target: fingerprint >= 0.8x hash throughput
#   gguf          gguf-py GGUFWriter                target: >= 0.8x
#   torch.save    torch.save(state_dict) (zip)      target: >= 0.6x
# Each timing is the median of R runs (hash and fingerprint alternating), page cache warm, JVM
# start-up included. Fingerprint runs
# with a heap of --xmx (default 64m) to show that memory stays flat; hash runs as users run it.
# The peak resident set and CPU time (user + system) of one more run of each are reported (CPU
# time is the cost that a loaded machine cannot hide), and the three fingerprints must agree
# (the same tensors in three formats).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_gib=2
runs=3
data="$root/bench-data/fingerprint"
xmx=64m
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gib) size_gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    *) echo "bench-fingerprint.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$root/modelseal" ] && [ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench-fingerprint.sh: build first: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-fingerprint.sh: /usr/bin/time not found" >&2; exit 2; }
writers=${MODELSEAL_FIXTURE_PYTHONPATH:-/opt/fixture-writers/usr/lib/python3/dist-packages}
python=${MODELSEAL_FIXTURE_PYTHON:-/usr/bin/python3}

stamp="$data/size-gib-$size_gib"
if [ ! -f "$stamp" ]; then
  echo "generating $size_gib GiB models (safetensors, GGUF, torch.save) in $data ..." >&2
  rm -rf "$data"
  mkdir -p "$data"
  PYTHONPATH="$writers" "$python" "$here/fingerprint_data.py" "$data" "$size_gib"
  touch "$stamp"
fi
files="model.safetensors model.gguf model.pt"
for f in $files; do cat "$data/$f" > /dev/null; done  # warm the page cache

now() { date +%s%N; }
# time_cmd CMD...: prints elapsed seconds of one run
time_cmd() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo "scale=4; ($t1 - $t0) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# rss_cpu CMD...: peak resident set (MiB) and CPU time (user + system s) of one run
rss_cpu() { /usr/bin/time -f "%M %U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%d MiB, %.2f s", $1 / 1024, $2 + $3}'; }

ms="$root/modelseal"
fp() { MODELSEAL_JAVA_OPTS="-Xmx$xmx ${MODELSEAL_JAVA_OPTS:-}" "$ms" fingerprint "$@"; }
hash() { "$ms" hash "$@"; }
"$ms" hash "$data/model.safetensors" > /dev/null  # first run may create the class-data archive

load0=$(cut -d' ' -f1-3 /proc/loadavg)
weights=""
rows=""
for f in $files; do
  case "$f" in
    *.pt) label="torch.save zip"; target="0.6" ;;
    *.gguf) label="GGUF"; target="0.8" ;;
    *) label="safetensors"; target="0.8" ;;
  esac
  w=$(fp "$data/$f" | awk '/^weights/ {print $2}')
  weights="$weights $w"
  # Alternate the two commands run by run, so that a change of load on a shared machine hits both.
  : > "$data/times.hash"; : > "$data/times.fp"
  for i in $(seq "$runs"); do
    time_cmd hash "$data/$f" >> "$data/times.hash"
    time_cmd fp "$data/$f" >> "$data/times.fp"
  done
  t_hash=$(median < "$data/times.hash")
  t_fp=$(median < "$data/times.fp")
  rss_hash=$(rss_cpu "$ms" hash "$data/$f")
  rss_fp=$(MODELSEAL_JAVA_OPTS="-Xmx$xmx ${MODELSEAL_JAVA_OPTS:-}" rss_cpu "$ms" fingerprint "$data/$f")
  ratio=$(echo "scale=2; $t_hash / $t_fp" | bc)
  met=$(echo "$ratio >= $target" | bc)
  [ "$met" = 1 ] && met="met" || met="not met"
  gibs=$(echo "scale=2; $(stat -c %s "$data/$f") / 1073741824 / $t_fp" | bc)
  rows="$rows| $label | $t_hash | $t_fp | $gibs | **$ratio** | >= $target ($met) | $rss_hash | $rss_fp |
"
done
same=$(echo $weights | tr ' ' '\n' | sort -u | wc -l)
[ "$same" = 1 ] && agree="all three formats have weights digest $(echo $weights | cut -d' ' -f1)" \
  || agree="FINGERPRINTS DIFFER:$weights"

cat <<TABLE
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)
load average at start of measurements: $load0; at end: $(cut -d' ' -f1-3 /proc/loadavg)
data: $size_gib GiB models (see fingerprint_data.py); median of $runs runs; page cache warm; fingerprint heap -Xmx$xmx
$agree

| model | hash s | fingerprint s | GiB/s fingerprint | ratio (hash time / fingerprint time) | target | hash: peak RSS, CPU | fingerprint: peak RSS, CPU |
|---|---|---|---|---|---|---|---|
$rows
TABLE
