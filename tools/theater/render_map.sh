#!/usr/bin/env bash
# render_map.sh BUILD_DIR -- draw docs/east-asia.png from the built-in theater.
#
# Uses the adizwatch binary in BUILD_DIR (for the zones, places and bases it embeds),
# node (world-atlas land for the background), Debian python3-shapely and librsvg2-bin.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/setup.sh"
install_packages python3-shapely librsvg2-bin
command -v npm >/dev/null || { echo "render_map.sh needs node and npm" >&2; exit 1; }
AW="$(cd "${1:?usage: render_map.sh BUILD_DIR}" && pwd)/adizwatch"
[ -d "$HERE/node_modules/world-atlas" ] || (cd "$HERE" && npm ci --no-audit --no-fund)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$AW" zones export builtin:east-asia >"$TMP/zones.geojson"
"$AW" where --places >"$TMP/places.tsv"
"$AW" where --bases >"$TMP/bases.tsv"
node "$HERE/countries.mjs" --land >"$TMP/land.geojson"
/usr/bin/python3 "$HERE/render_map.py" "$TMP/zones.geojson" "$TMP/land.geojson" \
    "$TMP/places.tsv" "$TMP/bases.tsv" "$TMP/east-asia.svg"
rsvg-convert -o "$ROOT/docs/east-asia.png" "$TMP/east-asia.svg"
