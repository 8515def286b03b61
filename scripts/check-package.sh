#!/usr/bin/env bash
# Checks the .deb as an administrator would (`make package` runs it): lintian with no error or
# warning, the desktop entry and the AppStream metainfo valid, apt resolves its dependencies,
# and the package unpacked into a temporary folder works: the CLI answers --version, both man
# pages render, and the app draws the case map in its real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:?usage: check-package.sh PACKAGE.deb}
limit=${DEB_LIMIT_BYTES:-10485760}

size=$(stat -c %s "$deb")
echo "== size: $size bytes (limit $limit)"
[ "$size" -le "$limit" ]

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "== lintian"
# lintian leaves a file of its ELF cache in TMPDIR on every run: in ours, it goes with it.
mkdir "$dir/lintian-tmp"
TMPDIR="$dir/lintian-tmp" lintian --display-info --fail-on error,warning "$deb"

root="$dir/root"
mkdir "$root"
dpkg-deb -x "$deb" "$root"

echo "== desktop-file-validate, appstreamcli validate"
desktop-file-validate "$root/usr/share/applications/nl.wijkkompas.app.desktop"
metainfo="$root/usr/share/metainfo/nl.wijkkompas.app.metainfo.xml"
appstreamcli validate --no-net --pedantic "$metainfo"

echo "== homepage and screenshots"
homepage=$(dpkg-deb -f "$deb" Homepage)
screens=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["screens"]))' src-tauri/packaging/screenshots.json)
if [ -n "$homepage" ]; then
  grep -qF "<url type=\"homepage\">$homepage</url>" "$metainfo" || { echo "check-package: the metainfo does not name the Homepage $homepage" >&2; exit 1; }
  named=$(grep -cF "<image type=\"source\" width=" "$metainfo")
  [ "$named" -eq "$screens" ] || { echo "check-package: the metainfo names $named screenshots, screenshots.json $screens" >&2; exit 1; }
  echo "Homepage: $homepage; $named screenshots expected at $homepage/screenshots/ (make screenshots makes them)"
else
  echo "no HOMEPAGE in src-tauri/packaging/release.env: no Homepage field, and the metainfo names no screenshots"
  ! grep -q "<screenshots>" "$metainfo" || { echo "check-package: screenshots without a homepage" >&2; exit 1; }
fi

echo "== apt-get install --simulate"
apt-get install --simulate "$(realpath "$deb")" | tail -n 3

echo "== the packaged command line and man pages"
"$root/usr/bin/wijkkompas" --version
"$root/usr/bin/wijkkompas-app" --version
for page in wijkkompas wijkkompas-app wijkkompas-import; do
  rendered=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/$page.1.gz" 2>"$dir/man-warnings" | col -b)
  [ ! -s "$dir/man-warnings" ] || { cat "$dir/man-warnings" >&2; exit 1; }
  grep -q "^NAME" <<<"$rendered" || { echo "check-package: $page.1 renders no NAME section" >&2; exit 1; }
  echo "$page.1: $(wc -l <<<"$rendered") lines"
done
bash -c "source '$root/usr/share/bash-completion/completions/wijkkompas' && complete -p wijkkompas" >/dev/null

echo "== the unpacked app in a real window"
WINDOW_APP_BIN="$root/usr/bin/wijkkompas-app" node --test --test-concurrency=1 tests/window/case-map-window.test.mjs
