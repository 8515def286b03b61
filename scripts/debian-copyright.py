#!/usr/bin/env python3
"""Writes the package's machine-readable copyright file (Debian copyright-format 1.0).

The hand-written part (src-tauri/packaging/copyright.in) covers the project, its content, fonts,
geodata and the npm packages built into the UI; this script adds the Rust crates compiled into
the program, read from `cargo tree` (so from Cargo.lock: the list is the build's), and a licence
paragraph for every licence named. It fails when an npm package that the UI ships is not
covered by the hand-written part, or when a licence has no text here.

Usage: debian-copyright.py OUTPUT
"""
import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "src-tauri" / "packaging"
# Licences with their text in Debian's /usr/share/common-licenses.
COMMON = {"Apache-2.0", "CC0-1.0", "MPL-2.0", "GPL-2.0-only", "GPL-3.0-only", "LGPL-2.1-only"}
# When a crate offers a choice ("MIT OR Apache-2.0"), the first of these it offers is taken.
PREFERENCE = ["MIT", "Apache-2.0", "Unicode-3.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib",
              "0BSD", "MIT-0", "Unlicense", "BSL-1.0", "CC0-1.0", "MPL-2.0", "EUPL-1.2"]
PUBLIC_DOMAIN = """The data named is in the public domain: the BAG (Basisregistratie
Adressen en Gebouwen) of Kadaster, and Natural Earth ("All versions of Natural
Earth raster + vector map data found on this website are in the public
domain")."""


def tokens(expression):
    return re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expression.replace("/", " OR "))


def parse(toks):
    """A licence expression as alternatives, each a set of licences that all apply."""
    def alternatives(i):
        options, i = conjunction(i)
        while i < len(toks) and toks[i].upper() == "OR":
            more, i = conjunction(i + 1)
            options += more
        return options, i

    def conjunction(i):
        options, i = factor(i)
        while i < len(toks) and toks[i].upper() == "AND":
            more, i = factor(i + 1)
            options = [a | b for a in options for b in more]
        return options, i

    def factor(i):
        if toks[i] == "(":
            options, i = alternatives(i + 1)
            return options, i + 1
        name, i = toks[i], i + 1
        if i < len(toks) and toks[i].upper() == "WITH":
            name, i = f"{name} WITH {toks[i + 1]}", i + 2
        return [frozenset([name])], i

    options, _ = alternatives(0)
    return options


def chosen(expression):
    """The licences that apply under the crate's preferred choice."""
    def rank(option):
        return max(PREFERENCE.index(l) if l in PREFERENCE else len(PREFERENCE) for l in option)
    return sorted(min(parse(tokens(expression)), key=rank), key=lambda l: (l not in PREFERENCE, l))


def crates():
    out = subprocess.run(
        ["cargo", "tree", "-q", "--locked", "-p", "wijkkompas-app", "-e", "normal,no-proc-macro",
         "--prefix", "none", "--format", "{p}|{l}"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        line = line.removesuffix(" (*)").strip()
        if not line:
            continue
        package, licence = line.split("|", 1)
        name, version = package.split(" ")[:2]
        version = version.removeprefix("v")
        if name in ("wijkkompas", "wijkkompas-app"):
            continue
        if not licence:
            sys.exit(f"debian-copyright: the crate {name} names no licence")
        found[(name, version)] = licence
    return found


def npm_packages():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return [path for path, p in lock["packages"].items() if path and not p.get("dev") and not p.get("optional")]


def paragraph_text(text):
    lines = text.strip("\n").splitlines()
    return "\n".join(" " + line if line.strip() else " ." for line in lines)


def main():
    template = (PACKAGING / "copyright.in").read_text()
    patterns = [p for line in template.splitlines() if line.startswith("Files:") for p in line[6:].split()]
    for path in npm_packages():
        if not any(fnmatch.fnmatch(path + "/x", p) for p in patterns):
            sys.exit(f"debian-copyright: {path} is built into the app but copyright.in does not cover it")

    found = crates()
    licences = set()
    listing = []
    for (name, version), expression in sorted(found.items()):
        applies = chosen(expression)
        licences.update(applies)
        taken = " and ".join(applies)
        listing.append(f"{name} {version}: {expression}" + ("" if taken == expression else f" (used under {taken})"))
    crate_stanza = "\n".join([
        "Files: Cargo.lock",
        "Copyright: The authors of each Rust crate below, as its own Cargo.toml and licence file name them",
        "License: " + " and ".join(sorted(licences)),
        "Comment: The program is compiled from these crates (the versions that",
        " Cargo.lock pins), each under the licence it names; where a crate offers a",
        " choice, the licence used is said.",
        " .",
        *[" " + line for line in listing],
    ])

    for line in template.splitlines():
        if line.startswith("License:"):
            licences.update(l.strip() for l in re.split(r"\band\b|\bor\b", line[8:]) if l.strip())
    paragraphs = []
    for licence in sorted(licences):
        if licence == "public-domain":
            paragraphs.append(f"License: public-domain\n{paragraph_text(PUBLIC_DOMAIN)}")
        elif licence in COMMON:
            name = {"GPL-2.0-only": "GPL-2", "GPL-3.0-only": "GPL-3", "LGPL-2.1-only": "LGPL-2.1"}.get(licence, licence)
            paragraphs.append(f"License: {licence}\n On Debian systems, the full text of this licence is in\n /usr/share/common-licenses/{name}.")
        else:
            text = PACKAGING / "licenses" / f"{licence}.txt"
            if not text.is_file():
                sys.exit(f"debian-copyright: no text for the licence {licence} (add {text.relative_to(ROOT)})")
            paragraphs.append(f"License: {licence}\n{paragraph_text(text.read_text())}")

    Path(sys.argv[1]).write_text(template.rstrip("\n") + "\n\n" + crate_stanza + "\n\n" + "\n\n".join(paragraphs) + "\n")


if __name__ == "__main__":
    main()
