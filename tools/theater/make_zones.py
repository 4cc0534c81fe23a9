#!/usr/bin/python3
"""make_zones.py -- build data/east-asia/zones.geojson, the built-in East Asia theater.

Why it exists: adizwatch ships the zones of the 30 Nov 2022 China-Russia patrol so that
nobody has to draw them. The ADIZ vertices are typed in below from their published
definitions (each with its source), and where the JADIZ's points are unknown its line
is drawn by stated rules (median lines, 200 NM: see jadiz()); territorial airspace is
computed from Natural Earth
1:10m coastlines (npm world-atlas) with GEOS (python3-shapely), buffered in local
azimuthal equidistant projections (python3-pyproj), never in degrees. The output is
committed; rerunning this script reproduces it byte for byte.

Usage: tools/theater/make_zones.sh (runs `node countries.mjs` and then this script).
       /usr/bin/python3 make_zones.py LAND.geojson OUT.geojson
"""
import json
import sys
import warnings

import pyproj
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, mapping, shape
from shapely.ops import transform, unary_union, voronoi_diagram
from shapely.strtree import STRtree
from shapely.validation import explain_validity

NM = 1852.0
THEATER = (115.0, 18.0, 150.0, 50.0)  # lon_min, lat_min, lon_max, lat_max
TILE_DEG = 2.0                          # buffering tile; aeqd scale error < 3e-4 inside
TILE_MARGIN_DEG = 0.6                   # land this far outside a tile still reaches into it
SIMPLIFY_DEG = 0.0005                   # final simplification (~55 m N-S, <= 50 m E-W)
ROUND = 6                               # decimal places of the output (~0.1 m)


def dms(d, m=0, s=0):
    return d + m / 60.0 + s / 3600.0


# ---- published ADIZ vertices (lat, lon) ---------------------------------------------
# KADIZ 2013 (MND 2013-12-08 via Newdaily; CIMSEC list; Incheon FIR eAIP ENR 2.1).
KADIZ = [(dms(39), dms(123, 30)), (dms(39), dms(133)), (dms(37, 17), dms(133)),
         (dms(36), dms(130, 30)), (dms(35, 13), dms(129, 48)), (dms(34, 43), dms(129, 9)),
         (dms(34, 17), dms(128, 52)), (dms(32, 30), dms(127, 30)), (dms(32, 30), dms(126, 50)),
         (dms(30), dms(125, 25)), (dms(30), dms(124)), (dms(37), dms(124))]
# China ECS ADIZ, PRC MND statement 2013-11-23.
CADIZ = [(dms(33, 11), dms(121, 47)), (dms(33, 11), dms(125)), (dms(31), dms(128, 20)),
         (dms(25, 38), dms(125)), (dms(24, 45), dms(123)), (dms(26, 44), dms(120, 58))]
# JADIZ outer line points (1)-(7), MOD Directive No. 36 of 1969 as amended (JGD2000).
JADIZ_1_7 = [(dms(45, 45, 7), dms(138, 44, 47)), (dms(40, 40, 9), dms(132, 59, 50)),
             (dms(37, 17, 10), dms(132, 59, 50)), (dms(36, 0, 11), dms(130, 29, 51)),
             (dms(35, 13, 11), dms(129, 47, 52)), (dms(33, 0, 12), dms(126, 59, 53)),
             (dms(33, 0, 12), dms(124, 59, 53))]
# Inferred south-west line (scopedog 2013-11-30; sun-bin 2006; 123E per MOD/MOFA).
JADIZ_SW = [(dms(30), dms(125)), (dms(29), dms(124)), (dms(28), dms(123)), (dms(23), dms(123))]
# Taiwan ADIZ, eAIP ENR 5.2.3 as transcribed by LunaticGhoulPiano/Flight-Spotter.
TWADIZ = [(dms(21), dms(117, 30)), (dms(21), dms(121, 30)), (dms(22, 30), dms(123)),
          (dms(29), dms(123)), (dms(29), dms(117, 30))]

# Liancourt Rocks are two islets 150 m apart around 37 14 30 N 131 52 00 E (Wikipedia,
# "Liancourt Rocks"); a 300 m disc stands in for them wherever the coastline lacks them.
LIANCOURT = (dms(37, 14, 30), dms(131, 52))
# Yonaguni island, for the 14 NM JADIZ bulge; taken from the coastline data (this box).
YONAGUNI_BOX = (122.90, 24.40, 123.08, 24.50)

# Japan's five specified sea areas and the Korean side of the Korea Strait, where the
# territorial sea is 3 NM. The legal areas are defined in the Enforcement Order of the
# Act on Territorial Sea (art. 3), which was not retrievable: these boxes are
# APPROXIMATE stand-ins drawn around each strait (lon_min, lat_min, lon_max, lat_max).
JP_STRAITS = {
    "Soya Strait": (141.55, 45.25, 142.40, 45.90),
    "Tsugaru Strait": (139.95, 41.15, 141.55, 41.85),
    "Tsushima Strait, east and west channels": (128.60, 33.65, 130.30, 34.85),
    "Osumi Strait": (130.30, 30.55, 131.20, 31.10),
}
KR_STRAITS = {"Korea Strait (Korean side)": (128.30, 34.20, 129.35, 35.25)}

# Disputed land, named neutrally; it lies inside every claimant's territorial zone.
DISPUTES = {
    "liancourt": ("Liancourt Rocks (Dokdo / Takeshima)", (131.80, 37.20, 131.95, 37.30)),
    "senkaku": ("Senkaku Islands / Diaoyu Dao / Diaoyutai", (123.40, 25.60, 124.70, 26.00)),
    "kurils": ("Southern Kuril Islands / Northern Territories", (145.30, 43.30, 149.00, 45.60)),
}

COUNTRIES = [
    ("TA-JP", "JP", "Japan", ["Japan"], 12, JP_STRAITS, ["liancourt", "kurils"]),
    ("TA-KR", "KR", "South Korea", ["South Korea"], 12, KR_STRAITS, ["liancourt"]),
    ("TA-CN", "CN", "China", ["China"], 12, {}, ["senkaku"]),
    ("TA-TW", "TW", "Taiwan", ["Taiwan"], 12, {}, ["senkaku"]),
    ("TA-RU", "RU", "Russia", ["Russia"], 12, {}, []),
    ("TA-KP", "KP", "North Korea", ["North Korea"], 12, {}, []),
]


def aeqd(lon0, lat0):
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform
    inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform
    return fwd, inv


def parts(g):
    if g.is_empty:
        return []
    return list(g.geoms) if hasattr(g, "geoms") else [g]


def only_polygons(g):
    return unary_union([p for p in parts(g) if isinstance(p, Polygon) and not p.is_empty])


def buffer_geo(land, dist_m, region=THEATER, tile_deg=TILE_DEG, margin_deg=TILE_MARGIN_DEG,
               quad_segs=16):
    """Buffer lon/lat land by dist_m metres, tile by tile in local aeqd projections; land
    up to margin_deg outside a tile still reaches into it."""
    pieces = []
    lon = region[0]
    while lon < region[2] - 1e-9:
        lat = region[1]
        while lat < region[3] - 1e-9:
            tile = box(lon, lat, min(lon + tile_deg, region[2]), min(lat + tile_deg, region[3]))
            near = land.intersection(tile.buffer(margin_deg, join_style=2))
            if not near.is_empty:
                fwd, inv = aeqd(lon + tile_deg / 2, lat + tile_deg / 2)
                grown = transform(fwd, near).buffer(dist_m, quad_segs)
                back = transform(inv, grown).buffer(0)
                pieces.append(only_polygons(back.intersection(tile)))
            lat += tile_deg
        lon += tile_deg
    return only_polygons(unary_union(pieces))


def disc(lat, lon, radius_m):
    fwd, inv = aeqd(lon, lat)
    return transform(inv, Point(0, 0).buffer(radius_m, 32))


def land_of(features, names):
    """The named countries' land near the theater (Natural Earth has a few invalid rings
    far away, in Chukotka; buffer(0) repairs what is kept)."""
    near = box(THEATER[0] - 1, THEATER[1] - 1, THEATER[2] + 1, THEATER[3] + 1)
    kept = []
    for f in features:
        if f["properties"]["name"] in names:
            for p in parts(shape(f["geometry"])):
                if p.intersects(near):
                    kept.append(p.buffer(0).intersection(near))
    return only_polygons(unary_union(kept))


def dispute_land(all_land, key):
    _, b = DISPUTES[key]
    g = only_polygons(all_land.intersection(box(*b)))
    if key == "liancourt":
        g = unary_union([g, disc(LIANCOURT[0], LIANCOURT[1], 300.0)])
    return g


def clean(g, tol=SIMPLIFY_DEG, rounded=True):
    """Simplify, round and check: the result must be a valid (Multi)Polygon."""
    if tol > 0:
        g = only_polygons(g.simplify(tol, preserve_topology=True))
    if rounded:
        g = only_polygons(transform(lambda x, y, z=None: (round_arr(x), round_arr(y)), g).buffer(0))
    if not g.is_valid:
        raise SystemExit("invalid geometry: " + explain_validity(g))
    return g


def round_arr(v):
    try:
        return [round(a, ROUND) for a in v]
    except TypeError:
        return round(v, ROUND)


def territorial(features, all_land):
    zones = {}
    theater = box(*THEATER)
    for zid, owner, cname, names, nm, straits, disputes in COUNTRIES:
        land = land_of(features, names)
        extra = [dispute_land(all_land, k) for k in disputes]
        land = only_polygons(unary_union([land] + extra)).intersection(
            box(THEATER[0] - 1, THEATER[1] - 1, THEATER[2] + 1, THEATER[3] + 1))
        land = only_polygons(land)
        ta = buffer_geo(land, nm * NM)
        if straits:
            narrow = buffer_geo(land, 3 * NM)
            areas = unary_union([box(*b) for b in straits.values()])
            ta = unary_union([ta.difference(areas), narrow.intersection(areas)])
        ta = clean(only_polygons(ta.intersection(theater)))
        zones[zid] = (ta, owner, cname, straits, [DISPUTES[k][0] for k in disputes])
    return zones


def ring(points):
    """(lat, lon) list -> closed shapely Polygon in lon/lat."""
    return Polygon([(lon, lat) for lat, lon in points])


def cadiz(ta_cn):
    # The six points, closed westward along their end parallels far inland, minus China's
    # 12 NM territorial airspace: what remains is the zone "between the line and the
    # territorial-sea line". The piece that touches the published line is kept.
    p1, p6 = CADIZ[0], CADIZ[-1]
    big = ring(CADIZ + [(p6[0], 115.0), (p1[0], 115.0)])
    rest = big.difference(ta_cn)
    line = LineString([(lon, lat) for lat, lon in CADIZ])
    keep = [p for p in parts(rest) if p.distance(line) < 1e-9]
    return clean(unary_union(keep), 0, False)


# ---- JADIZ where the outer line is unknown -------------------------------------------
# Points (8)-(30) of the outer line (south and east of Japan, round Hokkaido) were not
# retrievable. Instead of a closure of convenience, the model draws the rest of the line
# from two statements of the sources: the outer line lies "roughly near the median lines with other
# states" (Wikipedia JA, "防空識別圏", via weblio), and the Northern Territories and the
# Ogasawara islands lie outside the JADIZ altogether (research notes, section 1.2). So:
#  - toward a neighbour: the median (equidistance) line between the Japanese land the
#    JADIZ covers and the neighbour's land -- Sakhalin and the Kuril Islands (the Northern
#    Territories included), Taiwan, the Philippines (Batanes), and the Ogasawara and
#    Volcano Islands, treated like a neighbour since they are outside;
#  - near the Northern Territories: 3 NM off mainland Hokkaido (the directive's own rule
#    between its points (24)-(25) and (26)-(27));
#  - toward the open Pacific: 200 NM from the coast of the covered land, so that no edge
#    of the model runs where the patrols fly (the old 23N edge cut a real route).
OPEN_SEA_NM = 200
CLOSING_M = 300e3
OGASAWARA_BOX = (139.9, 24.0, 143.0, 28.0)      # Bonin and Volcano Islands (not Izu)
RU_NEAR_BOX = (141.0, 35.0, 151.0, 50.0)        # Sakhalin, Moneron, the Kurils; not the mainland
TW_PH_BOX = (118.0, 18.0, 126.0, 23.0)          # south of the inferred line's end, 23N 123E
HOKKAIDO_BOX = (139.3, 41.3, 146.0, 45.6)
SEA_OF_JAPAN_BOX = (127.0, 33.0, 141.5, 46.0)   # where the known line bounds the zone
NT_STRAIT_M = 25000.0                           # Nemuro Strait: 3 NM line within this of the NT
COMPUTED_SIMPLIFY_DEG = 0.005                   # computed JADIZ edges, about 500 m


def densified_points(g, step_deg=0.02):
    """Boundary points of a (Multi)Polygon at most step_deg apart (lon, lat)."""
    pts = []
    for p in parts(g.simplify(0.005)):
        ring = p.exterior
        n = max(4, int(ring.length / step_deg))
        pts.extend(ring.interpolate(i / n, normalized=True).coords[0] for i in range(n))
    return pts


def median_side(own, other, center, clip):
    """The part of clip closer to other's land than to own's: the cells of other's coast
    points in a Voronoi diagram of both coasts' points, computed in an azimuthal
    equidistant projection centred in the area (distances within about 1%)."""
    fwd, inv = aeqd(*center)
    seen = set()

    def unique(pts):  # GEOS's Voronoi builder does not survive repeated points
        out = []
        for x, y in pts:
            x, y = fwd(x, y)
            k = (round(x), round(y))
            if k not in seen:
                seen.add(k)
                out.append(Point(x, y))
        return out
    own_pts = unique(densified_points(own))
    other_pts = unique(densified_points(other))
    theirs_ids = {id(p) for p in other_pts}
    with warnings.catch_warnings():  # shapely 1.8 warns of its 2.0 API; 1.8 is Debian's
        warnings.simplefilter("ignore")
        tree = STRtree(own_pts + other_pts)
    # Far corners widen the diagram past the clip box (shapely 1.8 crashes when given an
    # envelope); their cells are nobody's coast and lie outside every clip box.
    corners = [Point(x, y) for x in (-3e6, 3e6) for y in (-3e6, 3e6)]
    cells = voronoi_diagram(MultiPoint(own_pts + other_pts + corners))
    theirs = []
    for cell in parts(cells):
        gen = [q for q in tree.query(cell) if cell.contains(q)]
        if gen and id(gen[0]) in theirs_ids:
            theirs.append(cell)
    # Cut to 2,500 km round the centre before projecting back: farther out the inverse
    # projection folds over.
    side = transform(inv, unary_union(theirs).intersection(box(-2.5e6, -2.5e6, 2.5e6, 2.5e6)))
    side = side.buffer(0)
    return only_polygons(side.intersection(box(*clip)))


def buffer_far(land, dist_m, region):
    """Buffer by hundreds of km: 5 degree tiles that see all land within dist_m, the coast
    simplified to 0.02 degree (about 2 km, which moves a 370 km line by less than that)."""
    margin = dist_m / 111e3 / 0.6 + 0.5  # degrees of longitude, good to 53N
    return buffer_geo(land.simplify(0.02), dist_m, region, 5.0, margin, 8)


def rounded(g):
    return only_polygons(transform(lambda x, y, z=None: (round_arr(x), round_arr(y)),
                                   g.simplify(COMPUTED_SIMPLIFY_DEG)).buffer(0))


def jadiz(features, all_land):
    jp = land_of(features, {"Japan"})
    ogasawara = only_polygons(jp.intersection(box(*OGASAWARA_BOX)))
    covered = only_polygons(jp.difference(box(*OGASAWARA_BOX)))
    ru = only_polygons(land_of(features, {"Russia"}).intersection(box(*RU_NEAR_BOX)))
    tw_ph = only_polygons(land_of(features, {"Taiwan", "Philippines"}).intersection(
        box(118.0, 18.0, 126.0, 26.0)))
    nt = dispute_land(all_land, "kurils").difference(jp)
    hokkaido = max(parts(jp.intersection(box(*HOKKAIDO_BOX))), key=lambda p: p.area)

    # The known line (points (1)-(7), the inferred south-west line to 23N 123E), then far
    # out (18N, 151E, 50N) and back to point (1) along its parallel from 141-30E: this
    # polygon only says which side of the known line Japan is on; the rules below draw
    # the rest. It reaches 50N east of 141-30E so that the Sea of Okhotsk is bounded by the
    # median with Sakhalin and the Kurils, not by a parallel.
    known = ring(JADIZ_1_7 + JADIZ_SW + [(18.0, dms(123)), (18.0, 151.0), (50.0, 151.0),
                                         (50.0, 141.5), (JADIZ_1_7[0][0], 141.5)])
    open_sea = buffer_far(covered, OPEN_SEA_NM * NM, (118.0, 18.0, 151.0, 50.0))
    # Fill the bays between the bulges of the 200 NM line (south of Shikoku, between the
    # Daito and Sakishima islands): a closing by 300 km, so that no notch of the rule cuts
    # across the sea where patrols fly.
    fwd, inv = aeqd(135.0, 30.0)
    closed = transform(fwd, open_sea).buffer(CLOSING_M, 16).buffer(-CLOSING_M, 16)
    open_sea = rounded(transform(inv, closed).buffer(0))
    beyond = rounded(unary_union([
        median_side(covered, ru, (145.0, 44.0), RU_NEAR_BOX),
        median_side(covered, tw_ph, (122.5, 23.0), TW_PH_BOX),
        median_side(covered, ogasawara, (141.0, 28.0), (134.0, 18.0, 151.0, 34.0))]))
    near_nt = rounded(unary_union([
        disc_buffer(nt, NT_STRAIT_M).difference(buffer_geo(hokkaido, 3 * NM, HOKKAIDO_BOX)), nt]))
    # The 200 NM rule is for the open Pacific only: in the Sea of Japan the known line
    # lies farther out (point (2) is about 500 km from Japanese land).
    body = known.intersection(unary_union([open_sea, box(*SEA_OF_JAPAN_BOX)]))
    body = body.difference(beyond).difference(near_nt)
    yonaguni = only_polygons(all_land.intersection(box(*YONAGUNI_BOX)))
    bulge = buffer_geo(yonaguni, 14 * NM, (121.0, 23.0, 125.0, 26.0))
    west = box(115.0, 18.0, dms(123), 50.0)
    return clean(unary_union([only_polygons(body), bulge.intersection(west)]), 0, False)


def disc_buffer(g, dist_m):
    """Buffer of small land (a few islands) by dist_m in one local projection."""
    c = g.centroid
    fwd, inv = aeqd(c.x, c.y)
    return transform(inv, transform(fwd, g).buffer(dist_m, 16)).buffer(0)


def feature(zid, name, kind, owner, edges, source, accuracy, geom, extra=None):
    props = {"id": zid, "name": name, "kind": kind, "owner": owner, "edges": edges,
             "source": source, "accuracy": accuracy}
    if extra:
        props.update(extra)
    g = mapping(geom)
    return {"type": "Feature", "properties": props,
            "geometry": {"type": g["type"], "coordinates": coords(g["coordinates"])}}


def coords(c):
    """Nested tuples to lists; ADIZ vertices keep full precision (exact published values),
    computed ones were rounded to ROUND decimals already."""
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return [c[0], c[1]]
    return [coords(x) for x in c]


def main():
    land_path, out_path = sys.argv[1], sys.argv[2]
    with open(land_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    all_land = land_of(features, {f["properties"]["name"] for f in features})
    ta = territorial(features, all_land)

    from zone_text import adiz_features, ta_feature
    out = adiz_features(feature, ring, KADIZ, cadiz(ta["TA-CN"][0]), jadiz(features, all_land), TWADIZ)
    for zid, (geom, owner, cname, straits, disputes) in ta.items():
        out.append(ta_feature(feature, zid, geom, owner, cname, straits, disputes,
                              SIMPLIFY_DEG, TILE_DEG))
    doc = {"type": "FeatureCollection", "features": out}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    main()
