#!/usr/bin/env bash
# modelseal scan benchmark: time `modelseal scan FILE` on a torch.save file of SIZE GiB (default 2)
# written by the real writer (torch.save of a state dict of float32 tensors, zip format), and on
# the same tensors in legacy format (_use_new_zipfile_serialization=False). Storages are routed by
# their first bytes only and never read, so the time should not grow with the file size.
#
#   benchmarks/bench-scan.sh [--size-gib N] [--runs R] [--data DIR]
#
# CLI timings are the median of R runs with the page cache warm, JVM start-up included (the
# scanner's exit code must be 0: a clean file); the in-process timing (ScanTime.java, one JVM)
# shows the scan itself, and the CLI on a tiny file shows the start-up alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_gib=2
runs=5
data="$root/bench-data/scan"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gib) size_gib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "bench-scan.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$root/modelseal" ] && [ -f "$root/modelseal-cli/target/modelseal.jar" ] || {
  echo "bench-scan.sh: build first: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
writers=${MODELSEAL_FIXTURE_PYTHONPATH:-/opt/fixture-writers/usr/lib/python3/dist-packages}
python=${MODELSEAL_FIXTURE_PYTHON:-/usr/bin/python3}
mkdir -p "$data"
zipfile="$data/model-${size_gib}gib.pt"
legacy="$data/model-${size_gib}gib-legacy.pt"
if [ ! -f "$zipfile" ] || [ ! -f "$legacy" ]; then
  echo "writing $zipfile and $legacy with torch.save ..."
  PYTHONPATH="$writers" "$python" - "$size_gib" "$zipfile" "$legacy" <<'PY'
import sys
import torch
gib, out, legacy = float(sys.argv[1]), sys.argv[2], sys.argv[3]
total = int(gib * (1 << 30)) // 4           # float32 elements
n = 16
sd = {"layer%02d.weight" % i: torch.full((total // n,), float(i)) for i in range(n)}
torch.save(sd, out)
torch.save(sd, legacy, _use_new_zipfile_serialization=False)
PY
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_scan() {
  local f=$1
  "$root/modelseal" scan "$f" >/dev/null # warm the page cache and the class-data archive
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$root/modelseal" scan "$f" >/dev/null || { echo "bench-scan.sh: scan of $f exited $?" >&2; exit 1; }
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | median
}
cp=$(ls "$root"/modelseal-cli/target/lib/*.jar | tr '\n' ':')"$root/modelseal-cli/target/modelseal.jar"
for f in "$zipfile" "$legacy"; do
  bytes=$(stat -c %s "$f")
  ms=$(time_scan "$f")
  printf '%-32s %5.2f GiB  CLI: median %5d ms of %d runs (JVM start-up included)\n' \
    "$(basename "$f")" "$(echo "$bytes / 1073741824" | bc -l)" "$ms" "$runs"
  printf '%-32s            in-process: %s\n' "" \
    "$(java -cp "$cp" "$here/ScanTime.java" "$f" $((runs * 2 + 1)))"
done
printf '%-32s            CLI on a 747-byte file: median %5d ms (start-up alone)\n' "torch_clean.pt" \
  "$(time_scan "$root/modelseal-scan/src/test/resources/fixtures/torch_clean.pt")"
