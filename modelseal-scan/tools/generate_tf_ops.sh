#!/usr/bin/env bash
# Writes modelseal-scan/src/main/resources/dev/modelseal/scan/rules/tf-ops.txt: the names of the
# operations in TensorFlow's op registry, as the TensorFlow Java API (tensorflow-core-api,
# generated from the registry) declares them in each op class's OP_NAME constant. Names only
# (facts of the public registry); nothing else is kept. Older versions of an op (Select beside
# SelectV2) are matched by the scanner, not listed.
#   ./generate_tf_ops.sh [VERSION]   (default 1.1.0; needs ./mvnw and a JDK's javap)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/modelseal-scan/src/main/resources/dev/modelseal/scan/rules/tf-ops.txt"
version=${1:-1.1.0}
"$root/mvnw" -q -B dependency:get -Dartifact=org.tensorflow:tensorflow-core-api:$version -Dtransitive=false
jar="$HOME/.m2/repository/org/tensorflow/tensorflow-core-api/$version/tensorflow-core-api-$version.jar"
unzip -Z1 "$jar" | grep '^org/tensorflow/op/.*\.class$' | grep -v '\$' | sed 's/\.class$//; s|/|.|g' \
  | xargs javap -constants -cp "$jar" 2>/dev/null \
  | grep 'String OP_NAME = ' | sed 's/.*OP_NAME = "\(.*\)";/\1/' | LC_ALL=C sort -u > "$out"
echo "wrote $(wc -l < "$out") op names to $out"
