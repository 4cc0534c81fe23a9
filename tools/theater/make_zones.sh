#!/usr/bin/env bash
# make_zones.sh -- regenerate data/east-asia/zones.geojson (the built-in theater).
#
# Needs node/npm (world-atlas, topojson-client: `npm ci` here) and Debian python3-shapely,
# python3-pyproj. The output is committed; a rerun must reproduce it byte for byte.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/setup.sh"
install_packages python3-shapely python3-pyproj
command -v npm >/dev/null || { echo "make_zones.sh needs node and npm" >&2; exit 1; }
[ -d "$HERE/node_modules/world-atlas" ] || (cd "$HERE" && npm ci --no-audit --no-fund)
LAND="$(mktemp)"
trap 'rm -f "$LAND"' EXIT
node "$HERE/countries.mjs" Japan "South Korea" China Taiwan Russia "North Korea" Philippines >"$LAND"
mkdir -p "$ROOT/data/east-asia"
/usr/bin/python3 "$HERE/make_zones.py" "$LAND" "$ROOT/data/east-asia/zones.geojson"
