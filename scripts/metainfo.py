#!/usr/bin/env python3
"""Writes the AppStream metainfo that a package installs, from the project's own
(src-tauri/packaging/nl.wijkkompas.app.metainfo.xml).

With --homepage (the project's public https address) it adds the homepage and the screenshots of
src-tauri/packaging/screenshots.json, which a software centre fetches from
HOMEPAGE/screenshots/FILE: AppStream names screenshots by web address only, so a package without
a public address can carry none. --launchable names another desktop entry (the .rpm's).

    metainfo.py OUT [--homepage URL] [--launchable DESKTOP_ID]
"""
import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

PACKAGING = Path(__file__).resolve().parent.parent / "src-tauri" / "packaging"
SOURCE = PACKAGING / "nl.wijkkompas.app.metainfo.xml"
SCREENSHOTS = PACKAGING / "screenshots.json"
LAUNCHABLE = '<launchable type="desktop-id">nl.wijkkompas.app.desktop</launchable>'


def public_address(url):
    """The homepage without a trailing slash; an error for anything but an https address."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"HOMEPAGE must be a public https address such as https://example.org/wijkkompas, not {url!r}")
    return url.removesuffix("/")


def screenshots_xml(homepage, manifest):
    lines = ["  <screenshots>"]
    for index, screen in enumerate(manifest["screens"]):
        kind = ' type="default"' if index == 0 else ""
        lines.append(f"    <screenshot{kind}>")
        lines.append(f"      <caption>{escape(screen['caption']['en'])}</caption>")
        lines.append(f'      <caption xml:lang="nl">{escape(screen["caption"]["nl"])}</caption>')
        size = f'width="{manifest["width"]}" height="{manifest["height"]}"'
        lines.append(f'      <image type="source" {size}>{escape(homepage)}/screenshots/{escape(screen["file"])}</image>')
        lines.append("    </screenshot>")
    lines.append("  </screenshots>")
    return "\n".join(lines) + "\n"


def render(homepage=None, launchable=None):
    text = SOURCE.read_text(encoding="utf-8")
    if LAUNCHABLE not in text:
        raise ValueError(f"{SOURCE.name} has no {LAUNCHABLE}")
    if launchable:
        text = text.replace(LAUNCHABLE, f'<launchable type="desktop-id">{escape(launchable)}</launchable>')
    if homepage:
        homepage = public_address(homepage)
        manifest = json.loads(SCREENSHOTS.read_text(encoding="utf-8"))
        # AppStream's order: the address after the description's launchable, screenshots after it.
        anchor = "  <provides>"
        added = f"  <url type=\"homepage\">{escape(homepage)}</url>\n" + screenshots_xml(homepage, manifest)
        text = text.replace(anchor, added + anchor, 1)
    ElementTree.fromstring(text.encode("utf-8"))  # well-formed, or an error here rather than in a package
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--homepage", default="")
    parser.add_argument("--launchable", default="")
    args = parser.parse_args()
    try:
        text = render(args.homepage or None, args.launchable or None)
    except (ValueError, ElementTree.ParseError) as error:
        print(f"metainfo: {error}", file=sys.stderr)
        return 1
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
