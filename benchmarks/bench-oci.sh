#!/usr/bin/env bash
# modelseal OCI benchmark: `modelseal pull oci://` (verify while streaming, private staging,
# atomic publish) of a model from a local CNCF distribution registry (127.0.0.1) vs a plain
# parallel curl download of the same blobs to disk, alternating, in one run; prints both times
# and the ratio. Needs docker-registry (apt-get install docker-registry), curl, sha256sum, the
# built launcher (./mvnw -q -B install -DskipTests or package), and about 3x SIZE of disk in WORK.
#
#   benchmarks/bench-oci.sh [--size-mib N] [--layers L] [--runs R] [--work DIR] [--link-mib-s M]
#
# --link-mib-s M: both downloads go through one relay on 127.0.0.1 passing at most M MiB/s over all
# connections (a network link; dev.modelseal.s3.LinkRelay from modelseal-s3's test classes, built
# by ./mvnw -q -B -pl modelseal-s3 -am test-compile) instead of loopback at memory speed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mib=1024
layers=4
runs=3
work=/tmp/modelseal-bench-oci
link=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --link-mib-s) link=$2; shift 2 ;;
    *) echo "bench-oci.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
rm -rf "$work" && mkdir -p "$work/storage" "$work/model"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/config.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
  secret: bench
CONF
/usr/bin/docker-registry serve "$work/config.yml" > "$work/registry.log" 2>&1 &
reg_pid=$!
trap 'kill $reg_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" > /dev/null && break; sleep 0.1; done
R="http://127.0.0.1:$port/v2/bench/model"
per=$((size_mib * 1048576 / layers))
push() { # FILE -> digest (monolithic upload)
  local d loc sep
  d=sha256:$(sha256sum "$1" | cut -d' ' -f1)
  loc=$(curl -s -i -X POST "$R/blobs/uploads/" | tr -d '\r' | grep -i '^location:' | cut -d' ' -f2)
  case "$loc" in http*) ;; *) loc="http://127.0.0.1:$port$loc" ;; esac
  sep='?'; case "$loc" in *\?*) sep='&' ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' -T "$1" \
    "$loc${sep}digest=$d" > /dev/null
  echo "$d"
}
echo '{}' > "$work/config.json"
cfg=$(push "$work/config.json")
json=""
for i in $(seq 0 $((layers - 1))); do
  f="$work/model/part-$i.bin"
  head -c "$per" /dev/urandom > "$f"
  d=$(push "$f")
  json="$json${json:+,}{\"mediaType\":\"application/vnd.cncf.model.weight.v1.raw\",\"digest\":\"$d\",\"size\":$per,\"annotations\":{\"org.opencontainers.image.title\":\"part-$i.bin\"}}"
done
manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.cncf.model.config.v1+json\",\"digest\":\"$cfg\",\"size\":3},\"layers\":[$json]}"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
  --data-binary "$manifest" "$R/manifests/v1" > /dev/null
pin=$("$root/modelseal" hash "$work/model" --pin)
if [ "$link" -gt 0 ]; then
  [ -d "$root/modelseal-s3/target/test-classes" ] || {
    echo "bench-oci.sh: --link-mib-s needs ./mvnw -q -B -pl modelseal-s3 -am test-compile" >&2; exit 2; }
  java -cp "$root/modelseal-s3/target/test-classes" dev.modelseal.s3.LinkRelay "127.0.0.1:$port" "$link" \
    > "$work/relay.port" &
  relay_pid=$!
  trap 'kill $reg_pid $relay_pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$work/relay.port" ] && break; sleep 0.1; done
  port=$(cat "$work/relay.port")
  R="http://127.0.0.1:$port/v2/bench/model"
fi
digests=$(echo "$manifest" | grep -o '"digest":"sha256:[0-9a-f]*","size":[0-9]*,"annotations"' | cut -d'"' -f4)
plain() {
  rm -rf "$work/plain" && mkdir "$work/plain"
  local pids=()
  for d in $digests; do
    curl -s -o "$work/plain/${d#sha256:}" "$R/blobs/$d" &
    pids+=($!)
  done
  wait "${pids[@]}"
}
secs() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
echo "model: $size_mib MiB in $layers raw layers; $([ "$link" -gt 0 ] && echo "link $link MiB/s (relay)" || echo "loopback"); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$runs"); do
  rm -rf "$work/out"
  t0=$(secs); plain; t1=$(secs)
  /usr/bin/time -o "$work/cpu" -f '%U %S' "$root/modelseal" pull \
    "oci://127.0.0.1:$port/bench/model:v1" --plain-http --to "$work/out/model" --digest "$pin" \
    > /dev/null
  t2=$(secs)
  cpu=$(tail -1 "$work/cpu")
  python3 -c "p=$t1-$t0; m=$t2-$t1; u,s='$cpu'.split(); print(f'run $r: plain {p:.2f} s, modelseal pull {m:.2f} s (CPU {u} s user, {s} s system), ratio {m/p:.2f}x')"
done
