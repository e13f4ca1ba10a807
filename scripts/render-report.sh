#!/usr/bin/env bash
# Renders a report page (from `twinmatch report`) to a PNG with headless Chromium (Debian: apt-get install chromium):
#   scripts/render-report.sh FILE.html OUT.png [WIDTH] [HEIGHT]
# WIDTH defaults to 1200 px (try 390 for a phone), HEIGHT to 1800 px: the page is cut there, not scaled.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
  echo "usage: $0 FILE.html OUT.png [WIDTH] [HEIGHT]" >&2
  exit 64
fi
page=$1 out=$2 width=${3:-1200} height=${4:-1800}
[ -f "$page" ] || { echo "$0: no such file: $page" >&2; exit 66; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "$0: chromium not found (Debian: apt-get install chromium)" >&2; exit 69; }
abs_page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$abs_out"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$abs_out" --window-size="$width,$height" "file://$abs_page" >/dev/null 2>&1 || true
[ -s "$abs_out" ] || { echo "$0: chromium wrote no screenshot to $abs_out" >&2; exit 70; }
echo "$abs_out"
