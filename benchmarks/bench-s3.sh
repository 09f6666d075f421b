#!/usr/bin/env bash
# modelseal S3 benchmark: pull + verify of a model from a local s3proxy (127.0.0.1) vs a plain AWS
# SDK download of the same objects to disk, same client settings, in one run; prints the ratio
# (target <= 1.05x) and the process CPU time of each.
#
#   benchmarks/bench-s3.sh [--size-mib N] [--runs R] [--work DIR] [--single] [--link-mib-s M]
#
# --single: one object of SIZE (fetched by the pull over several connections) instead of four
# large shards and 12 small files. --link-mib-s M: both downloads go through one relay on
# 127.0.0.1 that passes at most M MiB/s over all connections (a network link), instead of
# talking to s3proxy over loopback at memory speed.
#
# The harness (dev.modelseal.s3.PullBenchmark) lives in modelseal-s3's test sources so that s3proxy
# stays off every main classpath. Needs about 3x SIZE of free disk in WORK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mib=1024
runs=3
work=/tmp/modelseal-bench-s3
layout=shards
link=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --single) layout=single; shift ;;
    --link-mib-s) link=$2; shift 2 ;;
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
exec java -Xmx2g -cp "$cp" dev.modelseal.s3.PullBenchmark "$size_mib" "$runs" "$work" "$layout" "$link"
