#!/usr/bin/env bash
# report map: the built-in 30 Nov 2022 day, simulated, replayed into a store and reported
# for KR with --out, must give map-KR-2022-11-30.{svg,png,json}: a PNG of the size the
# JSON says, a well-formed SVG whose legend names the H-6K and KADIZ, no Korean track,
# and the H-6K tracks' colour drawn inside the KADIZ (and not over inland China, where
# no one flew).
# Needs the store's positions (replay --db keeps them): a store without them fails.
source "$(dirname "$0")/testlib.sh"

AW="$(cd "$(dirname "$AW")" && pwd)/$(basename "$AW")"
differ() { ! cmp -s "$1" "$2"; }
cd "$TMP"
"$AW" simulate builtin:2022-11-30 --seed 1 --out sim.csv --aircraft-db aircraft.csv 2>/dev/null
expect "simulate exits 0" [ $? -eq 0 ]
"$AW" replay --zones builtin:east-asia --db day.db sim.csv >/dev/null 2>&1
expect "replay --db exits 0" [ $? -eq 0 ]
npos=$(sqlite3 day.db "SELECT count(*) FROM positions")
expect "replay --db stored the trails the map draws ($npos positions)" [ "${npos:-0}" -gt 0 ]
mkdir out
"$AW" report --db day.db --day 2022-11-30 --observer KR --aircraft-db aircraft.csv \
    --out out >/dev/null 2>err
expect "report --out exits 0" [ $? -eq 0 ]
for ext in svg png json; do
    expect "map-KR-2022-11-30.$ext written" [ -s out/map-KR-2022-11-30.$ext ]
done
expect_grep "report says where the map is" 'map-KR-2022-11-30' err
"$AW" zones export builtin:east-asia > zones.geojson

$PY - out/map-KR-2022-11-30 zones.geojson <<'PYEOF'
import json, math, struct, sys, zlib
import xml.etree.ElementTree as ET
base, zones_path = sys.argv[1], sys.argv[2]
meta = json.load(open(base + ".json"))
bad = []

# SVG: well formed (the parser raises otherwise), legend text in <desc>.
root = ET.parse(base + ".svg").getroot()
desc = "".join(e.text or "" for e in root.iter() if e.tag.endswith("desc"))
for want in ("H-6K \u00d7", "KADIZ (KR)", "territorial airspace", "reference place"):
    if want not in desc:
        bad.append("SVG <desc> lacks %r" % want)

# PNG: decode (8-bit RGB or RGBA, not interlaced) with the five row filters.
data = open(base + ".png", "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
if (w, h) != (meta["width"], meta["height"]):
    bad.append("PNG is %dx%d, JSON says %dx%d" % (w, h, meta["width"], meta["height"]))
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG format"
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line

fr, lon0, s = meta["frame"], meta["central_meridian"], meta["px_per_degree"]
def merc(lat): return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
ytop = merc(meta["area"]["max_lat"])
def xy(lat, lon):
    return fr["left"] + (lon - meta["area"]["min_lon"]) * s, fr["top"] + (ytop - merc(lat)) * s

# KADIZ: rhumb edges, straight lines on Mercator, so its outline in pixels is exact.
kadiz = [f for f in json.load(open(zones_path))["features"] if f["properties"]["id"] == "KADIZ"]
ring = [xy(lat, lon) for lon, lat in kadiz[0]["geometry"]["coordinates"][0]]
def inside(px, py, poly):
    c = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1): c = not c
    return c

# Which tracks: foreign (none of Korea's own), typed from the aircraft database.
if any(t["nation"] == "KR" for t in meta["tracks"]): bad.append("a KR track on KR's map")
if any(not t["type"] for t in meta["tracks"]): bad.append("a track without its type")
if not any(t["type"].startswith("Tu-95") for t in meta["tracks"]): bad.append("no Tu-95 on the map")
keys = {t["key"] for t in meta["tracks"] if t["type"] == "H-6K"}
if not keys: bad.append("no H-6K track on the map")
colours = {k["key"]: k["rgb"] for k in meta["keys"]}
xs, ys = [p[0] for p in ring], [p[1] for p in ring]
china = [xy(lat, lon) for lat, lon in ((40, 112), (40, 117), (35, 117), (35, 112))]
for key in sorted(keys):
    r, g, b = (int(colours[key][i:i + 2], 16) for i in (1, 3, 5))
    def hit(x, y):
        row = rows[y]
        return abs(row[x * bpp] - r) <= 10 and abs(row[x * bpp + 1] - g) <= 10 and abs(row[x * bpp + 2] - b) <= 10
    n_in = sum(1 for y in range(int(min(ys)), int(max(ys)) + 1) for x in range(int(min(xs)), int(max(xs)) + 1)
               if inside(x + 0.5, y + 0.5, ring) and hit(x, y))
    cx, cy = [p[0] for p in china], [p[1] for p in china]
    n_china = sum(1 for y in range(int(min(cy)), int(max(cy))) for x in range(int(min(cx)), int(max(cx))) if hit(x, y))
    print("%s (%s): %d pixels inside KADIZ, %d over inland China" % (key, colours[key], n_in, n_china))
    if n_in < 100: bad.append("%s: only %d pixels of its colour inside KADIZ" % (key, n_in))
    if n_china: bad.append("%s: %d pixels of its colour over inland China" % (key, n_china))
for m in bad: print("FAIL:", m)
sys.exit(1 if bad else 0)
PYEOF
expect "SVG, PNG and H-6K colour inside KADIZ check out" [ $? -eq 0 ]

# With scramble advice and intercepts in the store, they are marked (and in the legend).
# The built-in day has foreign bombers in the KADIZ with KR and JP friendly: the advisor
# must store advice for them, so the markers are always checked.
"$AW" replay --zones builtin:east-asia --advise --aircraft-db aircraft.csv --friendly KR,JP \
    --db adv.db sim.csv >/dev/null 2>&1
expect "replay --advise --db exits 0" [ $? -eq 0 ]
nadv=$(sqlite3 adv.db "SELECT count(*) FROM records WHERE type = 'scramble_advice'")
expect "replay --advise stored scramble advice ($nadv records)" [ "${nadv:-0}" -gt 0 ]
mkdir adv
"$AW" report --db adv.db --day 2022-11-30 --observer KR --aircraft-db aircraft.csv \
    --out adv >/dev/null 2>&1
expect "report with advice records exits 0" [ $? -eq 0 ]
expect_grep "advice marked on the map" 'advised intercept point' adv/map-KR-2022-11-30.svg
expect "advice map differs from the plain one" differ adv/map-KR-2022-11-30.png out/map-KR-2022-11-30.png

# No --out: no map, the report goes to stdout as before.
"$AW" report --db day.db --day 2022-11-30 --observer KR --aircraft-db aircraft.csv >stdout.md 2>err
expect "report without --out exits 0" [ $? -eq 0 ]
expect "no map without --out" [ ! -e map-KR-2022-11-30.png ]
finish
