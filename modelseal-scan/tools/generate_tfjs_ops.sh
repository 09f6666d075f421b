#!/usr/bin/env bash
# Writes modelseal-scan/src/main/resources/dev/modelseal/scan/rules/tfjs-ops.txt: the TensorFlow op
# names a TF.js graph model may use, as @tensorflow/tfjs-converter's op mapper declares them (the
# tfOpName of every entry of dist/operations/op_list/*.js, the converter's own fused ops such as
# _FusedConv2D included). Names only; nothing else is kept.
#   ./generate_tfjs_ops.sh [VERSION]   (default 4.22.0; needs npm and node)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/main/resources/dev/modelseal/scan/rules/tfjs-ops.txt"
version=${1:-4.22.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@tensorflow/tfjs-converter@$version" >/dev/null && tar xzf ./*.tgz)
{
  echo "# @tensorflow/tfjs-converter $version op mapper, written by modelseal-scan/tools/generate_tfjs_ops.sh"
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = path.join(process.argv[1], "package/dist/operations/op_list");
    const names = new Set();
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith(".js")) continue;
      const m = require(path.join(dir, f));
      for (const op of m.json || []) names.add(op.tfOpName);
    }
    console.log([...names].sort().join("\n"));' "$tmp" | LC_ALL=C sort -u
} > "$out"
echo "wrote $(($(wc -l < "$out") - 1)) op names to $out"
