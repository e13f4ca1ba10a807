#!/usr/bin/env python3
"""How often a top 10 is crowded by places around one hub: for each query of a batch output, the largest
number of its first k candidates within RADIUS km of one of them (itself included). A list is crowded when
that number is 4 or more (the Brno case: Bratislava and the villages around it).

    python3 Benchmarks/crowding.py top.csv datasets/world.csv [k=10] [radius_km=30]
"""
import csv
import math
import sys
from collections import defaultdict


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1, math.sqrt(h)))


def main(top, profiles, k=10, radius=30.0):
    where = {r["id"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(open(profiles, newline=""))}
    lists = defaultdict(list)
    for r in csv.DictReader(open(top, newline="")):
        if int(r["rank"]) <= k:
            lists[r["query_id"]].append(r["candidate_id"])
    sizes = []
    for cands in lists.values():
        pts = [where[c] for c in cands if c in where]
        sizes.append(max((sum(1 for q in pts if km(p, q) <= radius) for p in pts), default=0))
    n = len(sizes)
    print(f"lists {n}; largest cluster within {radius:g} km among the top {k}:")
    for t in (2, 3, 4, 5):
        print(f"  >= {t}: {sum(1 for s in sizes if s >= t) / n:.3f}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], int(a[2]) if len(a) > 2 else 10, float(a[3]) if len(a) > 3 else 30.0)
