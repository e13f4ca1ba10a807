#!/usr/bin/env python3
"""Recall@k of a batch output on held-out partnerships: the measure of the default path.

    twinmatch batch --queries Q.txt --k 100 --known-pairs train.csv --out top.csv
    python3 Benchmarks/held_out_recall.py top.csv test.csv

Every test pair counts in both directions whose query is in the batch output; a hit at k is the other city
among the query's first k candidates. Prints queries, R@10, R@50, R@100 and MRR over the listed ranks
(1/rank within the output, 0 beyond), with standard errors taken over pairs (the two directions as one cluster).
"""
import csv
import math
import sys


def main(top_path, test_path):
    ranks = {}
    with open(top_path, newline="") as f:
        for r in csv.DictReader(f):
            ranks[(r["query_id"], r["candidate_id"])] = int(r["rank"])
    queries = {q for q, _ in ranks}
    clusters = []
    with open(test_path, newline="") as f:
        for r in csv.DictReader(f):
            a, b = r["geonameid_a"], r["geonameid_b"]
            directions = [ranks.get((q, t)) for q, t in ((a, b), (b, a)) if q in queries]
            if directions:
                clusters.append(directions)
    n = sum(len(c) for c in clusters)
    if n == 0:
        sys.exit("no test query is in the batch output")

    def summary(value):
        sums = [sum(value(r) for r in c) for c in clusters]
        sizes = [len(c) for c in clusters]
        mean = sum(sums) / n
        var = sum((s - mean * m) ** 2 for s, m in zip(sums, sizes)) * len(clusters) / max(1, len(clusters) - 1)
        return mean, math.sqrt(var) / n

    print(f"queries {n} (pairs {len(clusters)})")
    for k in (10, 50, 100):
        m, se = summary(lambda r: 1.0 if r is not None and r <= k else 0.0)
        print(f"R@{k} {m:.4f} ± {se:.4f}")
    m, se = summary(lambda r: 1.0 / r if r is not None else 0.0)
    print(f"MRR {m:.4f} ± {se:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
