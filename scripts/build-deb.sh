#!/usr/bin/env bash
# Builds the .deb from the release binary (`make package` runs it after `make release`):
# the app, the command line as a link to it, man pages and completions made by the program
# itself, the desktop entry, AppStream metainfo, a machine-readable copyright file and the
# changelog. Dependencies are computed from the binary by dpkg-shlibdeps, as Debian's own
# packages do. Prints the path of the package.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/wijkkompas-app
PACKAGING=src-tauri/packaging
OUT=target/release/bundle/deb
WORK=target/release/deb-work
STAGE=$WORK/root
# Maintainer and homepage: src-tauri/packaging/release.env, unless given in the environment.
given_maintainer=${MAINTAINER-} given_homepage=${HOMEPAGE-}
# shellcheck source=../src-tauri/packaging/release.env
. "$PACKAGING/release.env"
MAINTAINER=${given_maintainer:-$MAINTAINER}
HOMEPAGE=${given_homepage:-$HOMEPAGE}
HOMEPAGE=${HOMEPAGE%/}  # as metainfo.py writes it, which also refuses anything but https

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
[ -x "$BIN" ] || { echo "build-deb: $BIN is missing: run make release first" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$STAGE/DEBIAN" "$OUT"
# The package's files are owned by root and readable by all, whatever the umask of the build.
umask 022

install -D -m 0755 "$BIN" "$STAGE/usr/bin/wijkkompas-app"
ln -s wijkkompas-app "$STAGE/usr/bin/wijkkompas"
cli="$STAGE/usr/bin/wijkkompas"

# Man pages and completions from the program's own argument definitions.
"$cli" man-pages "$WORK/man" >/dev/null
install -d "$STAGE/usr/share/man/man1"
for page in "$WORK"/man/*.1; do
  gzip -9n -c "$page" > "$STAGE/usr/share/man/man1/$(basename "$page").gz"
  chmod 0644 "$STAGE/usr/share/man/man1/$(basename "$page").gz"
done
install -d "$STAGE/usr/share/bash-completion/completions" "$STAGE/usr/share/zsh/vendor-completions" "$STAGE/usr/share/fish/vendor_completions.d"
"$cli" completions bash > "$STAGE/usr/share/bash-completion/completions/wijkkompas"
"$cli" completions zsh > "$STAGE/usr/share/zsh/vendor-completions/_wijkkompas"
"$cli" completions fish > "$STAGE/usr/share/fish/vendor_completions.d/wijkkompas.fish"

install -D -m 0644 "$PACKAGING/nl.wijkkompas.app.desktop" "$STAGE/usr/share/applications/nl.wijkkompas.app.desktop"
install -D -m 0644 src-tauri/icons/icon.png "$STAGE/usr/share/icons/hicolor/128x128/apps/nl.wijkkompas.app.png"
install -d "$STAGE/usr/share/metainfo" "$WORK/rpm"
python3 scripts/metainfo.py "$STAGE/usr/share/metainfo/nl.wijkkompas.app.metainfo.xml" --homepage "$HOMEPAGE"
# The .rpm (Tauri's bundler, after this script) names its desktop entry after the product,
# Wijkkompas.desktop: its copy of the metainfo launches that one.
python3 scripts/metainfo.py "$WORK/rpm/nl.wijkkompas.app.metainfo.xml" --homepage "$HOMEPAGE" --launchable Wijkkompas.desktop
chmod 0644 "$STAGE/usr/share/metainfo/nl.wijkkompas.app.metainfo.xml"
# What Tauri's bundler adds to tauri.conf.json for the .rpm of this release (its URL).
python3 -c 'import json, sys; print(json.dumps({"bundle": {"homepage": sys.argv[1]}} if sys.argv[1] else {}))' "$HOMEPAGE" > "$WORK/rpm/tauri-release.json"

doc="$STAGE/usr/share/doc/wijkkompas"
install -d "$doc"
python3 scripts/debian-copyright.py "$doc/copyright"
gzip -9n -c "$PACKAGING/changelog" > "$doc/changelog.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.gz"
find "$STAGE" -type f -path '*/share/*' -exec chmod 0644 {} +
find "$STAGE" -type d -exec chmod 0755 {} +

# Depends: what the binary links, as dpkg-shlibdeps reads it (it wants a debian/control).
mkdir -p "$WORK/shlibs/debian"
printf 'Source: wijkkompas\n\nPackage: wijkkompas\nArchitecture: any\n' > "$WORK/shlibs/debian/control"
depends=$(cd "$WORK/shlibs" && dpkg-shlibdeps -O "-e$(realpath -m "../root/usr/bin/wijkkompas-app")" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

{
  echo "Package: wijkkompas"
  echo "Version: $version"
  echo "Architecture: $arch"
  echo "Maintainer: $MAINTAINER"
  echo "Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
  echo "Depends: $depends"
  # lp and lpstat: a kiosk prints a resident's report on the coordinator's printer (src/printing).
  echo "Recommends: cups-client"
  echo "Section: misc"
  [ -z "$HOMEPAGE" ] || echo "Homepage: $HOMEPAGE"
  echo "Priority: optional"
  echo "Description: self-check and case map for neighbourhood initiatives"
  sed -e 's/^$/./' -e 's/^/ /' "$PACKAGING/description"
} > "$STAGE/DEBIAN/control"
(cd "$STAGE" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"

deb="$OUT/wijkkompas_${version}_${arch}.deb"
rm -f "$OUT"/*.deb
dpkg-deb --root-owner-group -Zxz -z9 --build "$STAGE" "$deb" >/dev/null
echo "$deb"
