#!/usr/bin/python3
"""render_map.py -- draw the built-in East Asia theater as SVG (for docs/east-asia.png).

Why it exists: the README shows the zones adizwatch ships, drawn from the very file the
library embeds, so the picture cannot drift from the data. Mercator is used because the
ADIZ edges are rhumb lines, which Mercator draws straight.

Usage: /usr/bin/python3 render_map.py ZONES.geojson LAND.geojson PLACES.tsv BASES.tsv OUT.svg
(PLACES/BASES from `adizwatch where --places` / `--bases`; LAND from `node countries.mjs --land`).
"""
import csv
import json
import math
import sys

from shapely.geometry import box, shape

LON0, LAT0, LON1, LAT1 = 115.0, 18.0, 150.0, 50.0
WIDTH = 1000
OWNER_COLOURS = {"KR": "#1f5fbf", "JP": "#c0392b", "CN": "#d4a017", "TW": "#1e8449",
                 "RU": "#7d3c98", "KP": "#555555"}
LABELS = {"KADIZ": (37.6, 124.3), "CADIZ-ECS": (28.2, 124.6), "JADIZ": (31.0, 130.0),
          "TWADIZ": (22.0, 118.0)}
SHOWN_PLACES = {"Ieodo", "Ulleungdo", "Liancourt Rocks", "Jeju", "Pohang", "Busan", "Tsushima",
                "Oki Islands", "Noto Peninsula", "Yonaguni", "Miyako", "Okinawa", "Shanghai",
                "Vladivostok", "Seoul", "Tokyo", "Taipei", "Senkaku/Diaoyu Islands"}


def merc_y(lat):
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


SCALE = WIDTH / math.radians(LON1 - LON0)
HEIGHT = round(SCALE * (merc_y(LAT1) - merc_y(LAT0)))


def xy(lon, lat):
    return (SCALE * math.radians(lon - LON0), SCALE * (merc_y(LAT1) - merc_y(lat)))


def path(geom):
    d = []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior] + list(poly.interiors):
            pts = [xy(x, y) for x, y in ring.coords]
            d.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + " Z")
    return " ".join(d)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    zones_path, land_path, places_path, bases_path, out_path = sys.argv[1:6]
    frame = box(LON0, LAT0, LON1, LAT1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT + 60}" '
           f'font-family="DejaVu Sans, sans-serif">',
           f'<rect width="{WIDTH}" height="{HEIGHT + 60}" fill="#ffffff"/>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#dbe9f4"/>']
    with open(land_path, encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            g = shape(feat["geometry"]).buffer(0).intersection(frame).simplify(0.01)
            if not g.is_empty:
                out.append(f'<path d="{path(g)}" fill="#f3efe4" stroke="#b8b0a0" '
                           'stroke-width="0.4"/>')
    with open(zones_path, encoding="utf-8") as f:
        zones = json.load(f)["features"]
    for z in zones:  # territorial airspace first, filled
        p = z["properties"]
        if p["kind"] == "territorial":
            c = OWNER_COLOURS.get(p["owner"], "#333333")
            out.append(f'<path d="{path(shape(z["geometry"]))}" fill="{c}" fill-opacity="0.35" '
                       f'stroke="{c}" stroke-width="0.5" fill-rule="evenodd"/>')
    for z in zones:  # then the ADIZ outlines
        p = z["properties"]
        if p["kind"] == "adiz":
            c = OWNER_COLOURS.get(p["owner"], "#333333")
            dash = ' stroke-dasharray="6,4"' if p["id"] == "JADIZ" else ""
            out.append(f'<path d="{path(shape(z["geometry"]).intersection(frame))}" fill="none" '
                       f'stroke="{c}" stroke-width="2"{dash} fill-rule="evenodd"/>')
            x, y = xy(LABELS[p["id"]][1], LABELS[p["id"]][0])
            out.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="16" font-weight="bold" '
                       f'fill="{c}">{p["id"]}</text>')
    for lon in range(120, 150, 5):
        x, _ = xy(lon, LAT0)
        out.append(f'<text x="{x + 2:.0f}" y="{HEIGHT - 4}" font-size="10" fill="#667">{lon}E</text>')
    for lat in range(20, 50, 5):
        _, y = xy(LON0, lat)
        out.append(f'<text x="2" y="{y - 2:.0f}" font-size="10" fill="#667">{lat}N</text>')
    with open(bases_path, encoding="utf-8") as f:
        for b in csv.DictReader(f, delimiter="\t"):
            x, y = xy(float(b["lon"]), float(b["lat"]))
            out.append(f'<path d="M{x:.1f},{y - 5:.1f} L{x + 4:.1f},{y + 3:.1f} L{x - 4:.1f},'
                       f'{y + 3:.1f} Z" fill="#222"/>')
    with open(places_path, encoding="utf-8") as f:
        for pl in csv.DictReader(f, delimiter="\t"):
            if pl["name"] not in SHOWN_PLACES:
                continue
            x, y = xy(float(pl["lon"]), float(pl["lat"]))
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#000"/>')
            out.append(f'<text x="{x + 4:.1f}" y="{y - 3:.1f}" font-size="11" fill="#111">'
                       f'{esc(pl["name"])}</text>')
    notes = ["adizwatch builtin:east-asia -- Mercator, 115-150E 18-50N. Lines: ADIZ (blue KR, "
             "yellow CN, red JP, green TW); fill: 12 NM territorial airspace (purple RU, grey KP).",
             "Triangles: fighter bases. JADIZ (dashed): published on its west side; the rest is "
             "drawn by rule, not Japan's line. See docs/theater.md for sources and accuracy."]
    for i, n in enumerate(notes):
        out.append(f'<text x="8" y="{HEIGHT + 22 + 20 * i}" font-size="12" fill="#222">'
                   f'{esc(n)}</text>')
    out.append("</svg>")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
