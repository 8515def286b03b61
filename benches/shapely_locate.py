"""The shapely 2 baseline for point -> area: a vectorised STRtree bulk query with the
"intersects" predicate on prepared polygons, no Python loop. Usage:
    shapely_locate.py polygons.geojson points.csv result.json [code_property] [lowest|smallest]
Writes the best and the median of five timings and, per point, the area that contains it: by default the
lowest `gm_code`; for wijken (`wk_code smallest`) the smallest wijk, the core's rule where the
generalised wijk polygons overlap. Choosing among the hits is not timed (it is not in the core's
timing either: the core's grid answers with one area)."""
import json
import sys
import time

import numpy as np
import shapely


def main(polygons_path, points_path, result_path, key="gm_code", rule="lowest"):
    with open(polygons_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    polygons = np.array([shapely.geometry.shape(feat["geometry"]) for feat in features])
    codes = [feat["properties"][key] for feat in features]
    shapely.prepare(polygons)
    coords = np.loadtxt(points_path, delimiter=",")
    points = shapely.points(coords)
    tree = shapely.STRtree(polygons)
    tree.query(points[:1000], predicate="intersects")  # warm up
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        hits = tree.query(points, predicate="intersects")
        timings.append(time.perf_counter() - start)
    best = min(timings)
    areas = shapely.area(polygons)
    found = [None] * len(points)
    rank_of = [None] * len(points)
    for point, polygon in zip(hits[0], hits[1]):
        rank = (areas[polygon], codes[polygon]) if rule == "smallest" else codes[polygon]
        if rank_of[point] is None or rank < rank_of[point]:
            rank_of[point] = rank
            found[point] = codes[polygon]
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump({"shapely": shapely.__version__, "seconds": best, "median_seconds": sorted(timings)[2], "points": len(points), "codes": found}, f)


if __name__ == "__main__":
    main(*sys.argv[1:6])
