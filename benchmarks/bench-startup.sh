#!/usr/bin/env bash
# modelseal start-up benchmark: wall time of `modelseal hash` and `modelseal verify` (EC P-256 key)
# on a small generated model (two files, ~1 KB), for this checkout and a reference checkout, run
# alternately in the same run so that machine noise hits both alike. Both go through their own
# ./modelseal launcher, so the class-data archive the launcher keeps is part of what is measured
# (it is made by the untimed warm-up runs); the no-archive cases set MODELSEAL_NO_CDS=1.
#
#   benchmarks/bench-startup.sh --ref DIR [--runs R] [--no-cds]
#
# DIR is another checkout, built (./mvnw -q -o package -DskipTests; never install). Prints, per
# case, the median and p90 wall time of R runs (default 30) of each build and the ratio this/ref
# (<= 1.05 is within 5%).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ref=""
runs=30
nocds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) ref=$(cd "$2" && pwd); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-cds) nocds=1; shift ;;
    *) echo "bench-startup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$ref" ] || { echo "bench-startup.sh: --ref DIR is required" >&2; exit 2; }
for r in "$root" "$ref"; do
  [ -f "$r/modelseal-cli/target/modelseal.jar" ] || {
    echo "bench-startup.sh: $r is not built (./mvnw -q -o package -DskipTests)" >&2; exit 2; }
done
command -v openssl >/dev/null || { echo "bench-startup.sh: openssl not found" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/model/sub"
printf '{"layers": 2}\n' > "$work/model/config.json"
head -c 1024 /dev/urandom > "$work/model/sub/weights.bin"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl ec -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
"$ref/modelseal" sign "$work/model" --key "$work/key.pem" -o "$work/model.sig" > /dev/null

now() { date +%s%N; }
# run_ms ROOT ARGS...: one run, prints elapsed milliseconds; fails the benchmark on a non-zero exit
run_ms() {
  local r=$1 t0 t1
  shift
  t0=$(now)
  "$r/modelseal" "$@" > /dev/null
  t1=$(now)
  echo $(((t1 - t0) / 1000000))
}
stat_of() { # FILE: "median p90"
  sort -n "$1" | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.999)]; print m, p}'
}
hash_args=(hash "$work/model")
verify_args=(verify "$work/model" --signature "$work/model.sig" --public-key "$work/pub.pem")
cases=(hash verify)
envs=("")
[ "$nocds" = 1 ] && envs=("" "MODELSEAL_NO_CDS=1")
printf '%-22s %10s %10s %10s %10s %8s %8s\n' case ref-med ref-p90 this-med this-p90 med-x p90-x
for e in "${envs[@]}"; do
  if [ -n "$e" ]; then export MODELSEAL_NO_CDS=1; else unset MODELSEAL_NO_CDS; fi
  for c in "${cases[@]}"; do
    declare -n args="${c}_args"
    : > "$work/ref.txt"
    : > "$work/this.txt"
    for r in "$ref" "$root"; do # untimed: makes the class-data archive, warms the page cache
      "$r/modelseal" "${args[@]}" > /dev/null
      "$r/modelseal" "${args[@]}" > /dev/null
    done
    for i in $(seq "$runs"); do # alternate which build goes first
      if [ $((i % 2)) = 0 ]; then
        run_ms "$ref" "${args[@]}" >> "$work/ref.txt"
        run_ms "$root" "${args[@]}" >> "$work/this.txt"
      else
        run_ms "$root" "${args[@]}" >> "$work/this.txt"
        run_ms "$ref" "${args[@]}" >> "$work/ref.txt"
      fi
    done
    read -r rm rp < <(stat_of "$work/ref.txt")
    read -r tm tp < <(stat_of "$work/this.txt")
    name="$c${e:+ (no CDS)}"
    printf '%-22s %8sms %8sms %8sms %8sms %8s %8s\n' "$name" "$rm" "$rp" "$tm" "$tp" \
      "$(echo "scale=3; $tm / $rm" | bc)" "$(echo "scale=3; $tp / $rp" | bc)"
  done
done
