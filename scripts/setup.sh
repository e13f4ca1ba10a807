#!/usr/bin/env bash
# Installs the system libraries TwinMatch links: CBLAS and LAPACK (Debian's libblas-dev, liblapack-dev),
# with OpenBLAS as the fast implementation behind libblas.so.3 / liblapack.so.3.
set -euo pipefail
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
