#!/usr/bin/env bash
# The container image, end to end, without a container runtime or a Docker daemon:
#  1. builds the image with Jib (profile 'image', FROM scratch over tools/image/runtime.sh's base
#     file system) to an OCI image archive;
#  2. starts a CNCF distribution registry (/usr/bin/docker-registry) on a free port of 127.0.0.1
#     with a temporary config, pushes the image there with skopeo, and pushes a small model (one
#     raw layer per file, ModelPack media types) with curl over the distribution API, signed with
#     'modelseal sign oci://' (the bundle attached as a referrer);
#  3. copies the image back from the registry with skopeo, unpacks its layers into a root file
#     system and runs the image's own entrypoint there (chroot, in a private mount and PID
#     namespace with /proc, /dev's four devices, a model volume and a read-only key volume mounted
#     like a pod's), as the image's user: as a plain init container (entrypoint + storage-initializer
#     SRC DEST), as KServe runs a ClusterStorageContainer (java @/opt/modelseal/storage-initializer.args
#     SRC DEST, trust from MODELSEAL_* variables), and with a re-tagged model (refused, exit 1,
#     the volume left empty).
# Needs root (chroot, mounts), skopeo, curl, jq, docker-registry; run from the repository root
# after './mvnw package' (it uses ./modelseal to sign). Exit 0 only when every check passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
t0=$(date +%s)
work=$(mktemp -d)
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "image test: $*" >&2
  exit 1
}

# 1. The image.
runtime="$root/modelseal-cli/target/image-runtime"
rm -rf "$runtime"
tools/image/runtime.sh "$runtime"
./mvnw -q -B -pl modelseal-cli -am package -DskipTests -Pimage -Djib.disableUpdateChecks=true \
  -Dspotless.check.skip=true -Dmodelseal.image.runtime="$runtime" > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; fail "the image build failed"; }
archive="$root/modelseal-cli/target/modelseal-image.tar"
[ -f "$archive" ] || fail "no image archive at $archive"
echo "image test: built $(du -m "$archive" | cut -f1) MB in $(($(date +%s) - t0)) s"

# 2. The registry, the image and a signed model in it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host="127.0.0.1:$port"
mkdir -p "$work/storage"
cat > "$work/registry.yml" << EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $host
  secret: modelseal-image-test
EOF
/usr/bin/docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do
  curl -fsS "http://$host/v2/" > /dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$host/v2/" > /dev/null || fail "the registry did not start"
skopeo copy --quiet --dest-tls-verify=false "oci-archive:$archive" "docker://$host/modelseal:test"

push_blob() { # repository file -> prints sha256:HEX
  local digest loc
  digest="sha256:$(sha256sum "$2" | cut -d' ' -f1)"
  loc=$(curl -fsS -X POST -D - -o /dev/null "http://$host/v2/$1/blobs/uploads/" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in /*) loc="http://$host$loc" ;; esac
  case "$loc" in *\?*) loc="$loc&digest=$digest" ;; *) loc="$loc?digest=$digest" ;; esac
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$2" "$loc" > /dev/null
  echo "$digest"
}
push_model() { # repository tag dir
  local layers="" f d
  printf '{"descriptor":{"name":"image-test"}}' > "$work/config.json"
  local cd
  cd=$(push_blob "$1" "$work/config.json")
  for f in $(cd "$3" && ls); do
    d=$(push_blob "$1" "$3/$f")
    layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.cncf.model.weight.v1.raw\",\"digest\":\"$d\",\"size\":$(stat -c %s "$3/$f"),\"annotations\":{\"org.opencontainers.image.title\":\"$f\"}}"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.model.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.model.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$cd" "$(stat -c %s "$work/config.json")" "$layers" > "$work/manifest.json"
  curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$work/manifest.json" "http://$host/v2/$1/manifests/$2" > /dev/null
}
# A small safetensors file (so that the scan has a format to read): header length, header, data.
safetensors() { # file seed
  python3 - "$1" "$2" << 'PY'
import json, random, struct, sys
random.seed(int(sys.argv[2]))
n = 75000
header = json.dumps({"w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}).encode()
header += b" " * (-len(header) % 8)
data = struct.pack("<%df" % n, *(random.uniform(-1, 1) for _ in range(n)))
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(header)) + header + data)
PY
}
mkdir -p "$work/model" "$work/other"
safetensors "$work/model/model.safetensors" 1
printf '{"architecture":"test"}' > "$work/model/config.json"
push_model team/model v1 "$work/model"
mkdir -p "$work/keys"
./modelseal keygen -o "$work/keys/signer" > /dev/null
./modelseal sign "oci://$host/team/model:v1" --key "$work/keys/signer.key" --plain-http > /dev/null
# Another model under another tag, never signed: re-tagging it as v1 later is the attack.
cp "$work/model/config.json" "$work/other/config.json"
safetensors "$work/other/model.safetensors" 2
push_model team/model evil "$work/other"

# 3. The image from the registry, unpacked, run with its entrypoint.
skopeo copy --quiet --src-tls-verify=false "docker://$host/modelseal:test" "oci:$work/image:test"
manifest=$(jq -r '.manifests[0].digest' "$work/image/index.json" | sed 's/^sha256://')
config=$(jq -r '.config.digest' "$work/image/blobs/sha256/$manifest" | sed 's/^sha256://')
rootfs="$work/rootfs"
mkdir -p "$rootfs"
for layer in $(jq -r '.layers[].digest' "$work/image/blobs/sha256/$manifest" | sed 's/^sha256://'); do
  tar --warning=no-unknown-keyword -xzf "$work/image/blobs/sha256/$layer" -C "$rootfs"
done
cfg="$work/image/blobs/sha256/$config"
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$cfg")
user=$(jq -r '.config.User' "$cfg")
[ "${entrypoint[0]}" = /opt/java/bin/java ] || fail "unexpected entrypoint ${entrypoint[*]}"
[ "$user" = 65532:65532 ] || fail "unexpected user $user"
mapfile -t envs < <(jq -r '.config.Env[]' "$cfg")

# Runs argv in the image's root file system like a container runtime would: the pod's volumes
# mounted, its environment (the image's, then the pod's), as the image's user. Prints the output.
run_in_image() { # volume-dir -- env... -- argv...
  local volume=$1
  shift 2
  local podenv=()
  while [ "$1" != -- ]; do
    podenv+=("$1")
    shift
  done
  shift
  unshare --mount --pid --fork bash -euc '
    r=$1; vol=$2; keys=$3; shift 3
    mkdir -p "$r/proc" "$r/dev" "$r/mnt/models" "$r/etc/modelseal"
    mount -t proc proc "$r/proc"
    for d in null zero random urandom; do
      touch "$r/dev/$d"
      mount --bind "/dev/$d" "$r/dev/$d"
    done
    mount --bind "$vol" "$r/mnt/models"
    mount --bind "$keys" "$r/etc/modelseal"
    mount -o remount,bind,ro "$r/etc/modelseal"
    exec "$@"
  ' _ "$rootfs" "$volume" "$work/keys" \
    env -i "${envs[@]}" "${podenv[@]}" "$(command -v chroot)" --userspec="$user" "$rootfs" "$@"
}
pubkey_env=(MODELSEAL_PUBLIC_KEY=/etc/modelseal/signer.pub MODELSEAL_PLAIN_HTTP=true)
volume() { # a fresh emptyDir: world-writable like Kubernetes makes it
  local v
  v=$(mktemp -d "$work/volume.XXXX")
  chmod 0777 "$v"
  echo "$v"
}

# The plain CLI: the image's entrypoint runs modelseal.
out=$(run_in_image "$(volume)" -- -- "${entrypoint[@]}" --version) || fail "--version failed"
case "$out" in "modelseal "*) ;; *) fail "--version printed $out" ;; esac

# A plain init container: the entrypoint, 'storage-initializer SRC DEST', trust from the pod's env.
t1=$(date +%s)
v1=$(volume)
out=$(run_in_image "$v1" -- "${pubkey_env[@]}" -- "${entrypoint[@]}" \
  storage-initializer "oci://$host/team/model:v1" /mnt/models) \
  || fail "init container: exit $?: $out"
cmp -s "$v1/model.safetensors" "$work/model/model.safetensors" || fail "init container: wrong model.safetensors"
[ "$(ls -A "$v1" | sort | tr '\n' ' ')" = "config.json model.safetensors " ] \
  || fail "init container: the volume holds $(ls -A "$v1")"
[ "$(stat -c %a "$v1/model.safetensors")" = 444 ] || fail "init container: model.safetensors is writable"
printf '%s\n' "$out" | sed 's/^/  /'
echo "image test: init container pulled and verified the model ($(($(date +%s) - t1)) s)"

# KServe's ClusterStorageContainer: command java @args-file, args SRC DEST; with the scan.
t1=$(date +%s)
v2=$(volume)
out=$(run_in_image "$v2" -- "${pubkey_env[@]}" MODELSEAL_SCAN=medium -- /opt/java/bin/java \
  @/opt/modelseal/storage-initializer.args "oci://$host/team/model:v1" /mnt/models) \
  || fail "KServe storage initializer: exit $?: $out"
cmp -s "$v2/model.safetensors" "$work/model/model.safetensors" || fail "KServe: wrong model.safetensors"
printf '%s\n' "$out" | sed 's/^/  /'
echo "image test: KServe-style storage initializer verified the model ($(($(date +%s) - t1)) s)"

# The attack: the unsigned model re-tagged as v1. Refused with exit 1, the volume stays empty.
curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$host/v2/team/model/manifests/evil" -o "$work/evil.json"
curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
  --data-binary "@$work/evil.json" "http://$host/v2/team/model/manifests/v1" > /dev/null
v3=$(volume)
set +e
out=$(run_in_image "$v3" -- "${pubkey_env[@]}" -- /opt/java/bin/java \
  @/opt/modelseal/storage-initializer.args "oci://$host/team/model:v1" /mnt/models 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "re-tagged model: exit $code, expected 1: $out"
[ -z "$(ls -A "$v3")" ] || fail "re-tagged model: the volume holds $(ls -A "$v3")"
printf '%s\n' "$out" | sed 's/^/  /'
echo "image test: a re-tagged model was refused (exit 1), nothing in the volume"
echo "image test: passed in $(($(date +%s) - t0)) s"
