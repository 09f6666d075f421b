#!/usr/bin/env bash
# Re-signing after a one-line README edit with --cache, against a full signing of the same model
# (both through the ./modelseal launcher: JVM start-up included). The model, 7 files and 3 GiB by
# default (4 weight shards, README.md, config.json, tokenizer.json), is generated under
# ${BENCH_DIR:-/tmp/modelseal-bench-resign}, outside the repository. Runs alternate (full, cached),
# after a warm-up of each; medians are printed with their ratio (target: cached <= 0.1x full).
#
# usage: benchmarks/bench-resign.sh [--size-gib N] [--runs R]
set -euo pipefail
cd "$(dirname "$0")/.."
size_gib=3
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gib) size_gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--size-gib N] [--runs R]" >&2; exit 2 ;;
  esac
done
dir=${BENCH_DIR:-/tmp/modelseal-bench-resign}
model="$dir/model"
mkdir -p "$model"
shard=$(( size_gib * 1024 / 4 ))
for i in 1 2 3 4; do
  f="$model/model-0000$i-of-00004.safetensors"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -ne $(( shard * 1024 * 1024 )) ]; then
    # Pseudo-random bytes (AES-CTR of zeros); openssl stops on the closed pipe.
    { openssl enc -aes-128-ctr -pass "pass:shard$i" -nosalt -pbkdf2 < /dev/zero 2> /dev/null \
      || true; } | head -c $(( shard * 1024 * 1024 )) > "$f"
  fi
done
printf '# Benchmark model\n' > "$model/README.md"
printf '{"architectures": ["Bench"], "hidden_size": 4096}\n' > "$model/config.json"
head -c $(( 1024 * 1024 )) /dev/zero | tr '\0' 'a' > "$model/tokenizer.json"
[ -f "$dir/key.pem" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
  -out "$dir/key.pem" 2> /dev/null
openssl pkey -in "$dir/key.pem" -pubout -out "$dir/pub.pem"
cache="$dir/digests.cache"
rm -f "$cache"
sleep 3 # the cache records only files whose times are at least 2 s old
# Wall and CPU (user + system) seconds of one command.
timed() {
  /usr/bin/time -f '%e %U %S' -o "$dir/time.txt" "$@" > /dev/null
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/time.txt"
}
full=()
cached=()
full_cpu=()
cached_cpu=()
# Warm-up (page cache, class-data archive) and the cache's first fill.
./modelseal sign "$model" --key "$dir/key.pem" -o "$dir/full.sig" > /dev/null
./modelseal sign "$model" --key "$dir/key.pem" -o "$dir/cached.sig" --cache "$cache" > /dev/null
for r in $(seq 1 "$runs"); do
  echo "edit $r" >> "$model/README.md"
  read -r w c < <(timed ./modelseal sign "$model" --key "$dir/key.pem" -o "$dir/full.sig")
  full+=("$w")
  full_cpu+=("$c")
  read -r w c < <(timed ./modelseal sign "$model" --key "$dir/key.pem" -o "$dir/cached.sig" \
    --cache "$cache")
  cached+=("$w")
  cached_cpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mf=$(median "${full[@]}")
mc=$(median "${cached[@]}")
# The cached signature must be the full one's statement: same digests, and it verifies.
./modelseal verify "$model" --signature "$dir/cached.sig" --public-key "$dir/pub.pem" > /dev/null
a=$(./modelseal hash "$model" | head -1)
b=$(./modelseal hash "$model" --cache "$cache" | head -1)
[ "$a" = "$b" ] || { echo "cached hash $b differs from $a" >&2; exit 1; }
echo "model: $(find "$model" -type f | wc -l) files, $(du -sh "$model" | cut -f1); runs: $runs"
echo "full sign s:   ${full[*]}"
echo "cached sign s: ${cached[*]}"
printf 'median full %.3f s, cached %.3f s, ratio %.3f (target <= 0.1)\n' "$mf" "$mc" \
  "$(echo "$mc / $mf" | bc -l)"
cf=$(median "${full_cpu[@]}")
cc=$(median "${cached_cpu[@]}")
echo "cpu s (user+sys) full: ${full_cpu[*]}; cached: ${cached_cpu[*]}"
printf 'median cpu full %.2f s, cached %.2f s, ratio %.3f\n' "$cf" "$cc" "$(echo "$cc / $cf" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
