#!/usr/bin/env python3
"""Derive data/cases.json from the research notes in ../shared/research/cases.json.

The research file is notes, not the app's contract. This script maps it once into the shape
the core embeds: `strategy` becomes `strategies`, unknown or probable names become null or get a
`name_confidence`, and municipality and province codes are taken from the official 2024
boundaries (so "Den Haag ('s-Gravenhage)" becomes GM0518 's-Gravenhage). Re-run it when the
research notes improve; review the diff before committing.

usage: python3 scripts/import_cases.py [../shared/research/cases.json] [../shared/geodata]
"""
import json
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
research = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/research/cases.json"
geodata = Path(sys.argv[2]) if len(sys.argv) > 2 else root.parent / "shared/geodata"

# Research names that differ from the official 2024 municipality names.
MUNICIPALITY_ALIASES = {"Den Haag ('s-Gravenhage)": "'s-Gravenhage", "Den Haag": "'s-Gravenhage"}

features = json.loads((geodata / "gemeenten-2024.geojson").read_text())["features"]
by_name = {f["properties"]["gm_name"]: f["properties"] for f in features}


def split_name(raw):
    if raw is None or raw.strip().lower().startswith("unknown"):
        return None, "unknown"
    m = re.match(r"^(.*?)\s*\(probable\)\s*$", raw)
    if m:
        return m.group(1), "probable"
    return raw, "known"


cases = []
for c in json.loads(research.read_text()):
    name, name_confidence = split_name(c.get("name"))
    municipality = province = None
    if c.get("municipality"):
        official = MUNICIPALITY_ALIASES.get(c["municipality"], c["municipality"])
        props = by_name[official]  # KeyError = a municipality the boundaries do not know: fix the alias table
        municipality = {"code": props["gm_code"], "name": props["gm_name"]}
        province = {"code": props["pv_code"], "name": props["pv_name"]}
    cases.append({
        "id": c["id"],
        "bundle": c["bundle"],
        "year": c["year"],
        "name": name,
        "name_confidence": name_confidence,
        "neighbourhood": c.get("neighbourhood"),
        "place": c.get("place"),
        "municipality": municipality,
        "province": province,
        "lat": c.get("lat"),
        "lon": c.get("lon"),
        "coordinates_note": c.get("coord_source"),
        "online": bool(c.get("online")),
        "strategies": c.get("strategy") or [],
        "target_groups": c.get("target_groups") or [],
        "summary": {"nl": c["summary_nl"], "en": c["summary_en"]},
        "confidence": c["confidence"],
        "sources": c.get("sources") or [],
        "notes": c.get("notes"),
    })

out = root / "data/cases.json"
out.write_text(json.dumps({"source": "Movisie, Wij in de Wijk casusbundels 1-4 (2020-2022); facts from public pages, see sources per case", "cases": cases}, ensure_ascii=False, indent=2) + "\n")
print(f"wrote {len(cases)} cases to {out.relative_to(root)}")
