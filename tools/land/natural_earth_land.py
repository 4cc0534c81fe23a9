#!/usr/bin/python3
"""natural_earth_land.py -- the maps' land, built from Debian's copy of Natural Earth.

Usage: natural_earth_land.py OUTPUT.json

The web map and the report maps draw Natural Earth's 1:50m land. Debian ships that data
in r-cran-rnaturalearthdata (the 50m countries, as R `sp` objects); this script has R
print the countries' rings, dissolves them into land with shapely (so that borders are
not drawn as coasts), and writes the result as TopoJSON -- a topology whose every ring
is one arc -- which the report map (src/report/map_land.c) and the web
map (web/app.js) both read. Run at build time (cmake/web.cmake): nothing is fetched and
nothing derived from the data is committed.
"""
import json
import subprocess
import sys

from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

STEP = 1e-4

R_DUMP = r"""
suppressMessages(library(sp))
data(countries50, package = "rnaturalearthdata")
for (p in countries50@polygons) {
  cat("P\n")
  for (r in p@Polygons) {
    cat(if (r@hole) "H" else "O", nrow(r@coords), "\n")
    write.table(format(r@coords, digits = 10), quote = FALSE, row.names = FALSE,
                col.names = FALSE)
  }
}
"""


def read_countries(text):
    """R's dump -> shapely polygons, one list of (outer, holes) per country."""
    polys = []
    lines = iter(text.splitlines())
    outer, holes = None, []

    def flush():
        if outer is not None:
            polys.append(Polygon(outer, holes).buffer(0))

    for line in lines:
        if line == "P":
            flush()
            outer, holes = None, []
            continue
        kind, n = line.split()
        ring = [tuple(map(float, next(lines).split())) for _ in range(int(n))]
        if kind == "O":
            flush()
            outer, holes = ring, []
        else:
            holes.append(ring)
    flush()
    return polys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dump = subprocess.run(["Rscript", "-e", R_DUMP], check=True, capture_output=True,
                          text=True).stdout
    countries = read_countries(dump)
    if len(countries) < 200:
        sys.exit(f"natural_earth_land: only {len(countries)} polygons read from R")
    land = unary_union(countries)
    parts = list(land.geoms) if isinstance(land, MultiPolygon) else [land]
    # Quantized as TopoJSON does it: integer steps of 1e-4 degree (11 m, well below the
    # data's 1:50m), each position a delta from the one before, so the file stays small.
    arcs, polygons = [], []
    for part in parts:
        rings = []
        for ring in [part.exterior, *part.interiors]:
            rings.append([len(arcs)])
            arc, px, py = [], 0, 0
            for x, y in ring.coords:
                qx, qy = round((x + 180) / STEP), round((y + 90) / STEP)
                if arc and qx == px and qy == py:
                    continue
                arc.append([qx - px, qy - py])
                px, py = qx, qy
            arcs.append(arc)
        polygons.append(rings)
    topo = {
        "type": "Topology",
        "transform": {"scale": [STEP, STEP], "translate": [-180, -90]},
        "objects": {"land": {"type": "GeometryCollection", "geometries": [
            {"type": "MultiPolygon", "arcs": polygons}]}},
        "arcs": arcs,
        "source": "Natural Earth 1:50m countries (public domain), from Debian's "
                  "r-cran-rnaturalearthdata, dissolved into land",
    }
    with open(sys.argv[1], "w") as f:
        json.dump(topo, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
