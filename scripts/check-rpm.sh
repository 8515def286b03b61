#!/usr/bin/env bash
# Checks the .rpm that Tauri's bundler made (`make package` runs it): its header, its size, and
# its files unpacked into a temporary folder: the desktop entry that the AppStream metainfo
# launches is in the package and valid, the metainfo validates, the binary answers --version
# under both its names, and the man pages are there.
set -euo pipefail
cd "$(dirname "$0")/.."

rpm_file=${1:?usage: check-rpm.sh PACKAGE.rpm}
max_bytes=${DEB_LIMIT_BYTES:-10485760}

rpm -qip "$rpm_file"
# The same homepage as the .deb's (src-tauri/packaging/release.env), or none.
url=$(rpm -qp --qf '%{URL}' "$rpm_file")
homepage=$(dpkg-deb -f target/release/bundle/deb/*.deb Homepage 2>/dev/null || true)
[ "$url" = "${homepage:-(none)}" ] || { echo "check-rpm: its URL is $url, the .deb's Homepage ${homepage:-none}" >&2; exit 1; }
size=$(stat -c %s "$rpm_file")
echo "check-rpm: $rpm_file is $size bytes"
[ "$size" -le "$max_bytes" ] || { echo "check-rpm: larger than $max_bytes bytes" >&2; exit 1; }

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
rpm2archive - < "$rpm_file" | tar -xz -C "$tree"

metainfo="$tree/usr/share/metainfo/nl.wijkkompas.app.metainfo.xml"
[ -f "$metainfo" ] || { echo "check-rpm: no AppStream metainfo in the package" >&2; exit 1; }
appstreamcli validate --no-net --pedantic "$metainfo"
launchable=$(sed -n 's|.*<launchable type="desktop-id">\(.*\)</launchable>.*|\1|p' "$metainfo")
desktop="$tree/usr/share/applications/$launchable"
[ -f "$desktop" ] || { echo "check-rpm: the metainfo launches $launchable, which the package does not hold" >&2; ls "$tree/usr/share/applications" >&2; exit 1; }
desktop-file-validate "$desktop"
grep -q '^Name\[nl\]=\|^GenericName\[nl\]=' "$desktop" || { echo "check-rpm: $launchable has no Dutch name" >&2; exit 1; }

app="$tree/usr/bin/wijkkompas-app"
"$app" --version
# The CLI is the same binary under its own name (the post-install scriptlet makes the link).
ln -s wijkkompas-app "$tree/usr/bin/wijkkompas"
"$tree/usr/bin/wijkkompas" --version
for page in wijkkompas.1.gz wijkkompas-app.1.gz; do
  [ -f "$tree/usr/share/man/man1/$page" ] || { echo "check-rpm: man page $page is missing" >&2; exit 1; }
done
echo "check-rpm: $(basename "$rpm_file") is sound"
