#!/usr/bin/env python3
"""Regenerates datasets/reference/: compact extracts of the public reference tables, keyed by GeoNames id.

Reads the full tables from a folder (default ../shared/datasets, see its README for sources and caveats) and
writes only what the embedded default needs:

- twin_pairs.csv        the public twin-town pairs (geonameid_a, geonameid_b); Wikipedia-derived, CC BY-SA 4.0
- memberships.csv       one row per (place, programme or network): URBACT network partners, 58 city networks
                        (ETMUN), European city titles, Intercultural Cities, the EU Climate-Neutral Cities
                        Mission; each with its programme, URBACT's network type (Transfer, Action Planning…),
                        year, role, the source's topics and our themes
- covenant.csv          Covenant of Mayors signatories (commitments, status, year)
- creative_cities.csv   UNESCO Creative Cities (field, year)
- world_heritage.csv    World Heritage sites by their nearest city (category, year inscribed)
- urban_green.csv       Eurostat Urban Audit: share of green urban area
- migrant_stock.csv     UN DESA migrant stock by destination and origin country, each destination's latest year

Our themes come from the topic keywords below (THEME_KEYWORDS): a rule per theme of the controlled vocabulary,
applied to the source's own topics, the network's name and, for URBACT, its main theme. Usage:

    python3 scripts/extract_reference.py [SOURCE_DIR] [OUT_DIR]
"""
import csv
import os
import re
import sys
import unicodedata

SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "datasets", "reference")

# Theme of the controlled vocabulary -> keywords (lower case, matched as substrings of the topics).
THEME_KEYWORDS = {
    "circular-economy": ["circular", "recycl", "waste"],
    "energy-transition": ["energy", "carbon", "hydrogen", "nuclear", "climate neutral"],
    "climate-adaptation": ["climate"],
    "environment": ["environment", "sustainab", "marine", "green"],
    "youth": ["youth"],
    "education": ["education", "educating", "jobs and skills", "knowledge"],
    "culture-heritage": ["culture", "cultural", "heritage", "historic", "walled", "arts"],
    "creative-industries": ["creative", "city branding", "marketing"],
    "tourism": ["tourism", "thermal", "spa town"],
    "migration-integration": ["migra", "integration of migrants", "immigration", "minorities"],
    "intercultural-dialogue": ["intercultural", "racism", "anti-discrimination"],
    "digitalisation": ["digital", "e-government", "smart city", "ict"],
    "mobility": ["mobility", "transport", "electric vehicles"],
    "economic-development": ["economy", "entrepreneur", "sme", "innovation", "jobs", "financ", "textile", "research",
                             "clustering"],
    "social-inclusion": ["inclusion", "poverty", "housing", "priority neighbourhoods", "ageing", "social",
                         "urban security", "drug prevention"],
    "health": ["health", "drug"],
    "agriculture-food": ["food", "wine", "urban-rural"],
    "sport": ["sport"],
    "democracy-participation": ["participation", "democracy", "governance", "peace"],
    "gender-equality": ["gender"],
}


def themes_of(*texts):
    """Our themes for a programme's topics, `theme:weight;…`: 1 for the first keyword's theme, 0.75 after."""
    words = [w.strip().lower() for t in texts for w in re.split(r"[;,/()]| and ", t or "") if w.strip()]
    found = {}
    for i, w in enumerate(words):
        for theme, keys in THEME_KEYWORDS.items():
            if any(re.search(r"\b" + re.escape(k), w) for k in keys):
                found.setdefault(theme, 1.0 if i == 0 else 0.75)
    return ";".join(f"{t}:{w:g}" for t, w in sorted(found.items()))


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def rows(name):
    with open(os.path.join(SOURCE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def gid(r, column="geonameid"):
    v = (r.get(column) or "").strip()
    try:
        return str(int(float(v))) if v else ""
    except ValueError:
        return ""


def write(name, header, body):
    body = sorted(set(tuple(b) for b in body), key=lambda b: tuple((0, int(x)) if x.isdigit() else (1, x) for x in b))
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
    print(f"{name}: {len(body)} rows", file=sys.stderr)


TITLE_SLUGS = {
    "European Capital of Culture": "european-capital-of-culture",
    "European Green Capital": "european-green-capital",
    "European Green Leaf": "european-green-leaf",
    "European Youth Capital": "european-youth-capital",
    "European Capital of Sport (ACES Europe)": "european-capital-of-sport",
}


def memberships():
    out = []
    for r in rows("urbact_network_partners.csv"):
        if gid(r):
            name = f"URBACT {r['network']}"
            out.append([gid(r), "urbact-" + slug(r["network"]), name, "urbact", r["network_type"],
                        r["year"] if r["year"] != "2000" else "2002",
                        r["role"], r["topics"], themes_of(r["topics"], r["topic_main"], r["network_description"])])
    for r in rows("etmun_network_memberships.csv"):
        if gid(r):
            out.append([gid(r), slug(r["network"]), r["network_full_name"].replace("\xa0", " ").strip() or r["network"],
                        "network", "", r["year"], r["member_status"], r["topics"], themes_of(r["topics"], r["network_full_name"])])
    for r in rows("eu_city_titles.csv"):
        if gid(r):
            out.append([gid(r), TITLE_SLUGS.get(r["programme"], slug(r["programme"])), r["programme"], "title", "", r["year"],
                        "", r["topics"], themes_of(r["topics"], r["programme"])])
    for r in rows("icc_intercultural_cities_partial.csv"):
        if gid(r):
            out.append([gid(r), "intercultural-cities", "Council of Europe Intercultural Cities", "programme", "", "", "",
                        r["topics"], themes_of(r["topics"])])
    for r in rows("eu_mission_climate_neutral_cities_partial.csv"):
        if gid(r):
            out.append([gid(r), "eu-climate-neutral-cities", "EU Mission 100 Climate-Neutral and Smart Cities", "programme",
                        "", r["year"], "", r["topics"], themes_of(r["topics"])])
    write("memberships.csv", ["geonameid", "network", "network_name", "kind", "network_type", "year", "role", "topics", "themes"],
          out)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("twin_pairs.csv", ["geonameid_a", "geonameid_b"],
          [[gid(r, "geonameid_a"), gid(r, "geonameid_b")] for r in rows("twin_pairs_public.csv")
           if gid(r, "geonameid_a") and gid(r, "geonameid_b")])
    memberships()
    write("covenant.csv", ["geonameid", "status", "commit_2020", "commit_2030", "commit_2050", "adaptation", "year"],
          [[gid(r), r["signatory_status"], r["commit_com2020"], r["commit_com2030"], r["commit_com2050"],
            r["commit_mayors_adapt"], r["adhesion_year"]] for r in rows("gcom_signatories.csv") if gid(r)])
    write("creative_cities.csv", ["geonameid", "field", "year"],
          [[gid(r), r["creative_field"], r["member_since"]] for r in rows("unesco_creative_cities.csv") if gid(r)])
    write("world_heritage.csv", ["geonameid", "category", "year", "site"],
          [[gid(r, "nearest_city_geonameid"), r["category"], r["date_inscribed"], r["site_name"]]
           for r in rows("unesco_world_heritage_sites_2019.csv") if gid(r, "nearest_city_geonameid")])
    write("urban_green.csv", ["geonameid", "green_share", "year"],
          [[gid(r), r["value"], r["year"]] for r in rows("eurostat_urban_audit_env_latest.csv")
           if gid(r) and r["indic_code"] == "EN5205V" and r["value"]])
    migrants = rows("un_desa_migrant_stock_bilateral_2019rev.csv")
    latest = {}
    for r in migrants:
        latest[r["dest_iso2"]] = max(latest.get(r["dest_iso2"], 0), int(r["year"]))
    write("migrant_stock.csv", ["dest_iso2", "origin_iso2", "migrant_stock", "share_of_dest_migrants", "year"],
          [[r["dest_iso2"], r["origin_iso2"], r["migrant_stock"], r["share_of_dest_migrants"], r["year"]]
           for r in migrants if int(r["year"]) == latest[r["dest_iso2"]] and r["dest_iso2"] != r["origin_iso2"]
           and float(r["migrant_stock"] or 0) > 0])


if __name__ == "__main__":
    main()
