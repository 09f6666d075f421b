#!/usr/bin/env bash
# modelseal hashing benchmark: compares `modelseal hash` with openssl on the same generated data,
# in one run, and prints the ratios (>= 1.0 means modelseal is at least as fast).
#
#   benchmarks/bench.sh [--size-gib N] [--runs R] [--data DIR] [--jmh]
#
# Cases (N = number of cores, the machine's limit for concurrent hashing):
#   file        one SIZE file:        modelseal hash            vs  1 openssl dgst -sha256
#   dir         8 files, SIZE total:  modelseal hash            vs  N concurrent openssl (xargs -P N)
#   file-shards one SIZE file:        modelseal hash --shard-size SIZE/8
#                                     vs  N concurrent openssl over the file (aggregate throughput)
#   verify      the 8-file directory: modelseal verify (EC P-256 signature) vs modelseal hash
# Each timing is the median of R runs, page cache warm, reference and modelseal runs alternating.
# modelseal times include JVM start-up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_gib=2
runs=3
data="$root/bench-data"
jmh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gib) size_gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --jmh) jmh=1; shift ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$root/modelseal" ] && [ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench.sh: build first: ./mvnw -q -B install -DskipTests" >&2; exit 2; }
command -v openssl >/dev/null || { echo "bench.sh: openssl not found" >&2; exit 2; }
ncores=$(nproc)
size=$((size_gib * 1024 * 1024 * 1024))
part=$((size / 8))
mkdir -p "$data/dir"
big="$data/big.bin"
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" != "$size" ]; then
  echo "generating $size_gib GiB of random data in $data ..." >&2
  head -c "$size" /dev/urandom > "$big"
  rm -f "$data"/dir/*
fi
for i in 0 1 2 3 4 5 6 7; do
  f="$data/dir/part-$i.bin"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" != "$part" ]; then
    dd if="$big" of="$f" bs=1M skip=$((i * part / 1048576)) count=$((part / 1048576)) status=none
  fi
done
cat "$big" "$data"/dir/* > /dev/null  # warm the page cache

now() { date +%s%N; }
# time_cmd CMD...: prints elapsed seconds of one run
time_cmd() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo "scale=4; ($t1 - $t0) / 1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

openssl_n_file() { local i; for i in $(seq "$ncores"); do openssl dgst -sha256 "$big" > /dev/null & done; wait; }
openssl_n_dir() { ls "$data"/dir/*.bin | xargs -P "$ncores" -n 1 openssl dgst -sha256 > /dev/null; }

ms="$root/modelseal"
"$ms" hash "$big" > /dev/null  # first run may create the class-data archive
# Signature verification of the same directory (issue: verify <= 1.05x hash).
openssl ecparam -name prime256v1 -genkey -noout -out "$data/key.pem" 2>/dev/null
openssl ec -in "$data/key.pem" -pubout -out "$data/pub.pem" 2>/dev/null
"$ms" sign "$data/dir" --key "$data/key.pem" -o "$data/dir.sig" > /dev/null

# Each case is a reference and a modelseal command, run alternately (reference, modelseal,
# reference, ...) so that a machine whose speed drifts during the run affects both alike.
# pair NAME_A NAME_B -- CMD_A... -- CMD_B...: sets t_NAME_A and t_NAME_B to the medians.
pair() {
  local a=$1 b=$2 i; shift 3
  local -a ca=() cb=()
  while [ "$1" != "--" ]; do ca+=("$1"); shift; done; shift
  cb=("$@")
  local fa fb; fa=$(mktemp); fb=$(mktemp)
  for i in $(seq "$runs"); do
    time_cmd "${ca[@]}" >> "$fa"
    time_cmd "${cb[@]}" >> "$fb"
  done
  printf -v "t_$a" '%s' "$(median < "$fa")"
  printf -v "t_$b" '%s' "$(median < "$fb")"
  rm -f "$fa" "$fb"
}
pair ossl1 ms_file -- openssl dgst -sha256 "$big" -- "$ms" hash "$big"
pair osslN_file ms_shards -- openssl_n_file -- "$ms" hash --shard-size "$part" "$big"
pair osslN_dir ms_dir -- openssl_n_dir -- "$ms" hash "$data/dir"
pair ms_dir2 ms_verify -- "$ms" hash "$data/dir" -- \
  "$ms" verify "$data/dir" --signature "$data/dir.sig" --public-key "$data/pub.pem"
pair sha256sum ms_file2 -- sha256sum "$big" -- "$ms" hash "$big"

gib() { echo "scale=2; $size_gib / $1" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }
# N concurrent processes hash N x SIZE: their time for SIZE is t / N.
t_osslN_file_per=$(echo "scale=4; $t_osslN_file / $ncores" | bc)

cat <<TABLE
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1), $(openssl version)
data: $size_gib GiB file; 8 files of $((part / 1048576)) MiB; median of $runs runs, reference and modelseal alternating; page cache warm

| case | reference | reference s | modelseal s | GiB/s modelseal | ratio (ref time / modelseal time) | target |
|---|---|---|---|---|---|---|
| file ($size_gib GiB) | openssl dgst, 1 process | $t_ossl1 | $t_ms_file | $(gib "$t_ms_file") | $(ratio "$t_ossl1" "$t_ms_file") | >= 0.9 |
| directory (8 files) | $ncores concurrent openssl | $t_osslN_dir | $t_ms_dir | $(gib "$t_ms_dir") | $(ratio "$t_osslN_dir" "$t_ms_dir") | >= 0.85 |
| file, --shard-size $((part / 1048576)) MiB | $ncores concurrent openssl (aggregate) | $t_osslN_file_per | $t_ms_shards | $(gib "$t_ms_shards") | $(ratio "$t_osslN_file_per" "$t_ms_shards") | >= 0.85 |
| directory (8 files) | modelseal hash (alternating with verify) | $t_ms_dir2 | $t_ms_verify (verify) | $(gib "$t_ms_verify") | $(ratio "$t_ms_verify" "$t_ms_dir2") = verify/hash | <= 1.05 |
| file ($size_gib GiB) | sha256sum | $t_sha256sum | $t_ms_file2 | $(gib "$t_ms_file2") | $(ratio "$t_sha256sum" "$t_ms_file2") | (info) |
TABLE

if [ "$jmh" = 1 ]; then
  [ -f "$here/target/benchmarks.jar" ] || { echo "bench.sh: benchmarks.jar missing (./mvnw -q -B install -DskipTests)" >&2; exit 2; }
  java -jar "$here/target/benchmarks.jar" HashThroughputBenchmark -f 1 -wi 2 -i 5 -p sizeMiB=512
fi
