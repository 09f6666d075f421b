#!/usr/bin/env bash
# modelseal TensorFlow-family benchmark: `modelseal fingerprint` of a TF.js model vs `modelseal hash`
# of the same files, in one run; prints the ratios (issue target: fingerprint >= 0.7x hash).
#
#   benchmarks/bench-tf.sh [--size-mib N] [--runs R] [--data DIR]
#
# Cases:
#   tfjs         model.json + 4 shards, SIZE MiB of float32 weights (16 tensors crossing no shard)
#   tfjs-uint8   model.json + 4 shards, SIZE/4 MiB of uint8-quantized weights decoded to SIZE MiB
#                of float32 (throughput counted in stored bytes, as `hash` sees them)
# Each timing is the median of R runs, page cache warm, JVM start-up included; the CPU time (user +
# system) is shown too, since wall time is unreliable when other jobs share the cores; peak RSS of
# the fingerprint run is shown (memory flat: it must not grow with the model).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mib=1024
runs=3
data="$root/bench-data/tf"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "bench-tf.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$root/modelseal" ] && [ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench-tf.sh: build first: ./mvnw -q -B -pl modelseal-cli -am package -DskipTests" >&2
  exit 2
}
ms="$root/modelseal"

# make_tfjs DIR TOTAL_MIB QUANT: 4 shards of random bytes and a model.json over them
make_tfjs() {
  local dir=$1 total=$2 quant=$3 shard=$(($2 / 4)) i
  mkdir -p "$dir"
  for i in 1 2 3 4; do
    f="$dir/group1-shard${i}of4.bin"
    if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" != "$((shard * 1048576))" ]; then
      head -c "$((shard * 1048576))" /dev/urandom > "$f"
    fi
  done
  python3 - "$dir" "$total" "$quant" <<'PY'
import json, sys
d, total, quant = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
n = 16
per = total * 1048576 // n  # stored bytes per weight
weights = []
for i in range(n):
    if quant:
        w = {"name": "w%02d" % i, "shape": [per // 1024, 1024], "dtype": "float32",
             "quantization": {"dtype": "uint8", "scale": 0.001, "min": -0.1}}
    else:
        w = {"name": "w%02d" % i, "shape": [per // 4096, 1024], "dtype": "float32"}
    weights.append(w)
paths = ["group1-shard%dof4.bin" % (i + 1) for i in range(4)]
json.dump({"format": "graph-model", "modelTopology": {},
           "weightsManifest": [{"paths": paths, "weights": weights}]},
          open(d + "/model.json", "w"))
PY
}

make_tfjs "$data/tfjs" "$size_mib" 0
make_tfjs "$data/tfjs-uint8" "$((size_mib / 4))" 1
cat "$data"/tfjs/*.bin "$data"/tfjs-uint8/*.bin > /dev/null  # warm the page cache

now() { date +%s%N; }
time_cmd() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo "scale=4; ($t1 - $t0) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { local i; for i in $(seq "$runs"); do time_cmd "$@"; done | median; }
# cpu_cmd CMD...: user + system CPU seconds of one run (robust when other jobs share the cores)
cpu_cmd() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
measure_cpu() { local i; for i in $(seq "$runs"); do cpu_cmd "$@"; done | median; }
rss_mib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%d", $1 / 1024}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
mibs() { echo "scale=0; $1 / $2" | bc; }

"$ms" hash "$data/tfjs" > /dev/null  # first run may create the class-data archive
"$ms" fingerprint "$data/tfjs" > /dev/null
t_hash=$(measure "$ms" hash "$data/tfjs")
t_fp=$(measure "$ms" fingerprint "$data/tfjs")
t_hash_q=$(measure "$ms" hash "$data/tfjs-uint8")
t_fp_q=$(measure "$ms" fingerprint "$data/tfjs-uint8")
c_hash=$(measure_cpu "$ms" hash "$data/tfjs")
c_fp=$(measure_cpu "$ms" fingerprint "$data/tfjs")
c_hash_q=$(measure_cpu "$ms" hash "$data/tfjs-uint8")
c_fp_q=$(measure_cpu "$ms" fingerprint "$data/tfjs-uint8")
rss=$(rss_mib "$ms" fingerprint "$data/tfjs")
rss_q=$(rss_mib "$ms" fingerprint "$data/tfjs-uint8")
q_mib=$((size_mib / 4))

cat <<TABLE
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)
data: TF.js models of 4 shards; median of $runs runs; page cache warm; load average $(cut -d' ' -f1-3 /proc/loadavg)

| case | stored MiB | hash s | fingerprint s | fingerprint MiB/s | ratio (hash time / fingerprint time) | CPU s hash / fingerprint | CPU ratio | peak RSS MiB | target |
|---|---|---|---|---|---|---|---|---|---|
| tfjs float32 | $size_mib | $t_hash | $t_fp | $(mibs "$size_mib" "$t_fp") | $(ratio "$t_hash" "$t_fp") | $c_hash / $c_fp | $(ratio "$c_hash" "$c_fp") | $rss | >= 0.7 |
| tfjs uint8 (decoded x4) | $q_mib | $t_hash_q | $t_fp_q | $(mibs "$q_mib" "$t_fp_q") | $(ratio "$t_hash_q" "$t_fp_q") | $c_hash_q / $c_fp_q | $(ratio "$c_hash_q" "$c_fp_q") | $rss_q | (info) |
TABLE
