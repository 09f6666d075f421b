#!/usr/bin/env bash
# modelseal S3 benchmark: pull + verify of a model from a local s3proxy (127.0.0.1) vs a plain AWS
# SDK download of the same objects to disk, same client settings, in one run; prints the ratio
# (target <= 1.15x).
#
#   benchmarks/bench-s3.sh [--size-mib N] [--runs R] [--work DIR]
#
# The harness (dev.modelseal.s3.PullBenchmark) lives in modelseal-s3's test sources so that s3proxy
# stays off every main classpath. Needs about 3x SIZE of free disk in WORK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mib=1024
runs=3
work=/tmp/modelseal-bench-s3
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "bench-s3.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$root"
./mvnw -q -B -pl modelseal-s3 -am test-compile -Dspotless.check.skip=true
# With -am the core writes the file first and modelseal-s3 (built last) overwrites it.
./mvnw -q -B -pl modelseal-s3 -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/modelseal-s3/target/bench.classpath" > /dev/null
cp="modelseal-s3/target/test-classes:modelseal-s3/target/classes:modelseal-core/target/classes"
cp="$cp:$(cat modelseal-s3/target/bench.classpath)"
exec java -Xmx2g -cp "$cp" dev.modelseal.s3.PullBenchmark "$size_mib" "$runs" "$work"
