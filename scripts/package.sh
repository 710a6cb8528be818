#!/usr/bin/env bash
# Builds the installable forms of MHA4J from target/mha4j.jar (run by `mvn package` after the shaded jar):
#   target/mha4j-<version>.tar.gz     bin/, lib/mha4j.jar, man pages, bash completions, the systemd unit (needs Java 21+)
#   target/mha4j_<version>_amd64.deb  the same under /usr/share/mha4j with a Java runtime of its own (jlink), /usr/bin
#                                     links, man pages, completions and mha-manager@.service (needs dpkg-deb; skipped
#                                     without it)
# Usage: scripts/package.sh <version>
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/lib.sh"
require_java
version="${1:?usage: scripts/package.sh <version>}"
deb_version="${version/-SNAPSHOT/~snapshot}"
target="$root/target"
jar="$target/mha4j.jar"
work="$target/package"
rm -rf "$work"
mkdir -p "$work"

# the tree both forms share: /usr/share/mha4j in the .deb, the top directory of the tarball
tree="$work/mha4j-$version"
mkdir -p "$tree/bin" "$tree/scripts" "$tree/lib" "$tree/man/man1" "$tree/bash-completion" "$tree/systemd"
cp "$root"/bin/* "$tree/bin/"
cp "$root/scripts/lib.sh" "$tree/scripts/"
cp "$jar" "$tree/lib/mha4j.jar"
cp "$root/packaging/mha-manager@.service" "$root/packaging/mha-serve.service" "$tree/systemd/"
cp "$root/README.md" "$tree/"
"$JAVA_HOME/bin/java" -cp "$jar" org.mha4j.cli.PackageFiles "$tree/man/man1" "$tree/bash-completion"
gzip -9n "$tree"/man/man1/*.1
tar -C "$work" --owner=0 --group=0 -czf "$target/mha4j-$version.tar.gz" "mha4j-$version"
echo "built $target/mha4j-$version.tar.gz"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "dpkg-deb not found: no .deb built (the tarball is)"
  exit 0
fi
deb="$work/deb"
share="$deb/usr/share/mha4j"
mkdir -p "$share" "$deb/usr/bin" "$deb/usr/share/man/man1" "$deb/usr/share/bash-completion/completions" \
         "$deb/lib/systemd/system" "$deb/usr/share/doc/mha4j" "$deb/DEBIAN"
cp -r "$tree/bin" "$tree/scripts" "$tree/lib" "$share/"
cp "$tree"/man/man1/*.gz "$deb/usr/share/man/man1/"
cp "$tree"/bash-completion/* "$deb/usr/share/bash-completion/completions/"
cp "$tree/systemd/mha-manager@.service" "$tree/systemd/mha-serve.service" "$deb/lib/systemd/system/"
cp "$root/README.md" "$deb/usr/share/doc/mha4j/"
for f in "$share"/bin/*; do ln -s "../share/mha4j/bin/$(basename "$f")" "$deb/usr/bin/$(basename "$f")"; done
# a runtime of its own, so that the package needs no Java from anywhere: the modules jdeps finds, and those the
# libraries load by name (Logback's XML configuration, Unsafe)
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.management,java.naming,java.rmi,java.security.jgss,java.sql,jdk.net,java.xml,java.logging,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --output "$share/runtime"
cat > "$deb/DEBIAN/control" <<CONTROL
Package: mha4j
Version: $deb_version
Section: database
Priority: optional
Architecture: amd64
Maintainer: MHA4J developers <mha4j@localhost>
Installed-Size: $(du -sk "$deb" | cut -f1)
Recommends: mariadb-client | default-mysql-client, openssh-client
Description: high-availability manager for MySQL and MariaDB replication
 A drop-in replacement for MHA (Master High Availability): the masterha_* commands,
 configuration files, hook contract and output lines of MHA 0.58, in Java, with its
 own Java runtime. Database hosts need sshd and their client programs only.
CONTROL
dpkg-deb --root-owner-group -Zgzip --build "$deb" "$target/mha4j_${deb_version}_amd64.deb" >/dev/null
echo "built $target/mha4j_${deb_version}_amd64.deb"
