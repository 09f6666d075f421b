#!/usr/bin/env bash
# Writes the image's base file system into DIR (empty or absent): a Java runtime made by jlink from
# the JDK on this machine (only the modules the CLI uses) in /opt/java, and the shared libraries it
# links against, copied from this machine at their own paths. No base image to download: Jib builds
# the image FROM scratch with DIR as an extra directory (see the 'image' profile in
# modelseal-cli/pom.xml and tools/image/test.sh).
set -euo pipefail
dir=${1:?usage: runtime.sh DIR}
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "runtime.sh: $dir is not empty" >&2
  exit 2
fi
mkdir -p "$dir/opt" "$dir/tmp" "$dir/etc"
# jdeps over the CLI's jars (modelseal.jar and target/lib) names these, plus the providers that are
# found as services: jdk.crypto.ec (EC keys), jdk.charsets, java.management.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.security.jgss,java.sql,java.xml,jdk.charsets,jdk.crypto.cryptoki
modules=$modules,jdk.crypto.ec,jdk.httpserver,jdk.net,jdk.unsupported
jlink --add-modules "$modules" --output "$dir/opt/java" --strip-debug --no-man-pages \
  --no-header-files --compress=2
# The libraries the runtime needs, at the paths the dynamic linker looks for them; the runtime's
# own libraries are found through $ORIGIN, and the desktop ones (AWT, sound, fonts, images) are
# never loaded by a headless JVM.
find "$dir/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
  ! -name 'libawt*' ! -name libsplashscreen.so ! -name libjsound.so ! -name libfontmanager.so \
  ! -name liblcms.so ! -name libjavajpeg.so ! -name libmlib_image.so ! -name libjawt.so \
  -exec ldd {} + 2>/dev/null | while read -r a b c _; do
    case "$a" in *:) ;; /*) echo "$a" ;; esac
    case "$c" in /*) echo "$c" ;; esac
  done | sort -u | grep -v "^$dir/" | while read -r lib; do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
# A user and a group for tools that look the current user up (the image runs as 65532).
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' \
  > "$dir/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$dir/etc/group"
# jlink's tree has symlinks in legal/; Jib copies links as links, so make every file a file.
find "$dir/opt/java/legal" -type l -exec sh -c 'for l; do cp --remove-destination "$(readlink -f "$l")" "$l"; done' _ {} +
