"""Prints the benchmark figures with their baselines and ratios, from criterion's estimates
(target/criterion/*/*/new/estimates.json) and the shapely run (target/bench-extra/shapely.json).
Run by `make bench` after `cargo bench`; the numbers go into BENCHMARKS.md by hand."""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target" / "criterion"


def median_seconds(group, bench, size):
    path = CRITERION / group / bench / str(size) / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e9


def fmt(seconds):
    if seconds is None:
        return "—"
    return f"{seconds * 1e3:.3f} ms" if seconds < 1 else f"{seconds:.2f} s"


def lookup(title, group, bench, shapely_name):
    """One lookup against its naive loop and shapely (best and median of its five runs)."""
    print(title)
    grid = median_seconds(group, bench, 100000)
    naive = median_seconds(group, "naive-contains", 10000)
    shapely_file = ROOT / "target" / "bench-extra" / shapely_name
    shapely = json.loads(shapely_file.read_text()) if shapely_file.exists() else None
    if not grid:
        return
    per_point = grid / 100000
    print(f"grid:    {per_point * 1e9:.0f} ns/point  ({1 / per_point / 1e6:.2f} M points/s)")
    if naive:
        print(f"naive:   {naive / 10000 * 1e9:.0f} ns/point  → grid is {naive / 10000 / per_point:.0f}× faster")
    if shapely:
        s = shapely["seconds"] / shapely["points"]
        m = shapely.get("median_seconds", shapely["seconds"]) / shapely["points"]
        print(f"shapely {shapely['shapely']}: {s * 1e9:.0f} ns/point best of 5, {m * 1e9:.0f} median  → grid is {s / per_point:.1f}× (best) / {m / per_point:.1f}× (median) faster")


def main():
    full = median_seconds("locate", "grid", 100000)
    if full:
        print(f"locate (municipality, province and wijk in one call): {full / 100000 * 1e9:.0f} ns/point")
    lookup("## Point → municipality (per point)", "locate", "municipality-grid", "shapely.json")
    lookup("\n## Point → wijk (per point; raw wijk polygons)", "wijk", "grid", "shapely-wijken.json")
    print("\n## Import of a bundle vs raw insert")
    for size in (1000, 10000, 100000):
        ours, raw = median_seconds("import", "bundle", size), median_seconds("import", "raw-insert", size)
        ratio = f"{ours / raw:.2f}×" if ours and raw else "—"
        print(f"{size:>7} checks: import {fmt(ours)}, raw {fmt(raw)}, ratio {ratio}")
    folder, raw_folder = median_seconds("import", "folder", 100000), median_seconds("import", "raw-insert-folder", 100000)
    if folder and raw_folder:
        print(f"folder of 200 bundles, 100000 checks: import {fmt(folder)}, raw {fmt(raw_folder)}, ratio {folder / raw_folder:.2f}×")
    print("\n## Statistics")
    for size in (1000, 10000, 100000):
        print(f"{size:>7} checks: country {fmt(median_seconds('stats', 'country', size))}, "
              f"busiest municipality {fmt(median_seconds('stats', 'municipality', size))}")
    print("\n## Municipality view (N initiatives in one municipality)")
    for size in (1000, 10000, 100000):
        extra = ROOT / "target" / "bench-extra" / f"summary-bytes-{size}.txt"
        size_text = f", summary JSON {int(extra.read_text()) / 1e6:.2f} MB" if extra.exists() else ""
        print(f"{size:>7} initiatives: summary {fmt(median_seconds('municipality-view', 'summary', size))}, "
              f"later page {fmt(median_seconds('municipality-view', 'page', size))}{size_text}")
    sync = ROOT / "target" / "bench-extra" / "sync.json"
    if sync.exists():
        r = json.loads(sync.read_text())
        print(f"\n## Sync with a shared PostgreSQL/PostGIS database")
        print(f"{r['checks']} checks ({r['records']} records) from {r['machines']} machines: sync {r['sync_seconds']:.1f} s, "
              f"COPY {r['copy_seconds']:.1f} s, ratio {r['ratio']:.2f}×; again with nothing new {r['again_send_only_seconds']:.3f} s "
              f"(send only), a reviewer's second sync {r['reviewer_again_seconds']:.3f} s")
    print("\n## Place search (8 suggestions)")
    for prefix in ("ams", "utr", "gro", "zui", "'s-"):
        print(f"{prefix!r}: {fmt(median_seconds('search', 'prefix', prefix))}")


if __name__ == "__main__":
    main()
