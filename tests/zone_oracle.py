#!/usr/bin/python3
"""zone_oracle.py ZONES.geojson... TRACKS.csv -- the zone events of a CSV of tracks, found
without adizwatch, for tests that would otherwise copy the program's own answers.

An independent reading of the contract (../shared/spec/events.md), for zones without an
altitude band and tracks without gaps: between consecutive reports a track flies the
WGS84 geodesic (pyproj's Geod), at constant speed in time; a zone's edges are rhumb lines
(straight in the ellipsoidal Mercator projection) or geodesics (densified to 500 m steps,
within a metre of the curve at these latitudes), as its "edges" property says. A track's
first report inside a zone is an enter "first_seen"; a change between reports is found by
sampling each segment every ~100 m and bisecting to a millisecond, and gives an enter or
exit "crossing". Prints one JSON line per event, in time order, as the contract's fields:
track, zone, type, cause, time (ISO 8601 UTC, milliseconds), lat, lon, callsign, and for exits
dwell_s (since the visit's enter); not max_depth_m, which it does not compute. Debian's
python3-pyproj and python3-shapely; nothing else."""
import csv
import json
import math
import sys
from datetime import datetime, timezone

from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.prepared import prep

GEOD = Geod(ellps="WGS84")
# Ellipsoidal Mercator: a rhumb line is a straight line in it.
MERC = Transformer.from_crs("+proj=longlat +ellps=WGS84", "+proj=merc +ellps=WGS84", always_xy=True)


def unwrap(lon, ref):
    """lon moved by 360 to lie within 180 of ref (zones across the antimeridian)."""
    return lon + 360 * round((ref - lon) / 360)


def ring_xy(ring, edges):
    pts = []
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:]):
        lon2 = unwrap(lon2, lon1)
        pts.append((lon1, lat1))
        if edges == "geodesic":
            dist = GEOD.inv(lon1, lat1, lon2, lat2)[2]
            n = int(dist // 500)
            if n > 0:
                pts.extend((unwrap(lo, lon1), la) for lo, la in GEOD.npts(lon1, lat1, lon2, lat2, n))
        elif edges != "rhumb":
            raise SystemExit("zone_oracle: edges '%s' not handled" % edges)
    return [MERC.transform(lo, la) for lo, la in pts]


def load_zones(path):
    zones = []
    for f in json.load(open(path))["features"]:
        p, g = f["properties"], f["geometry"]
        if p.get("floor_ft") is not None or p.get("ceiling_ft") is not None:
            raise SystemExit("zone_oracle: altitude bands are not handled (%s)" % p["id"])
        edges = p.get("edges", "geodesic")
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        shape = MultiPolygon([Polygon(ring_xy(r[0], edges), [ring_xy(h, edges) for h in r[1:]])
                              for r in polys]).buffer(0)
        zones.append((p["id"], prep(shape)))
    return zones


def inside(zone, lat, lon):
    return zone.contains(Point(*MERC.transform(lon, lat)))


def seconds(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    zones = [z for path in sys.argv[1:-1] for z in load_zones(path)]
    tracks = {}
    for row in csv.DictReader(open(sys.argv[-1])):
        tracks.setdefault(row["id"], []).append((seconds(row["time"]), float(row["lat"]),
                                                 float(row["lon"]), row.get("callsign", "").strip()))
    events = []
    for track, reps in tracks.items():
        reps.sort()
        t0, lat0, lon0, cs = reps[0]
        state = {}
        for zid, z in zones:
            state[zid] = inside(z, lat0, lon0)
            if state[zid]:
                events.append((t0, track, zid, "enter", "first_seen", lat0, lon0, cs))
        for (ta, lata, lona, _), (tb, latb, lonb, cs) in zip(reps, reps[1:]):
            az, _, dist = GEOD.inv(lona, lata, lonb, latb)

            def at(u):
                lon, lat, _ = GEOD.fwd(lona, lata, az, u * dist)
                return lat, lon

            steps = max(1, int(dist // 100))
            for zid, z in zones:
                prev_u, prev_in = 0.0, state[zid]
                for k in range(1, steps + 1):
                    u = k / steps
                    now_in = inside(z, *at(u))
                    if now_in != prev_in:
                        lo, hi = prev_u, u
                        while (hi - lo) * (tb - ta) > 1e-4:
                            mid = (lo + hi) / 2
                            if inside(z, *at(mid)) == prev_in:
                                lo = mid
                            else:
                                hi = mid
                        lat, lon = at(hi)
                        events.append((ta + hi * (tb - ta), track, zid,
                                       "enter" if now_in else "exit", "crossing", lat, lon, cs))
                    prev_u, prev_in = u, now_in
                state[zid] = prev_in
    entered = {}
    for t, track, zid, typ, cause, lat, lon, cs in sorted(events):
        ev = {"track": track, "zone": zid, "type": typ, "cause": cause,
              "time": datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="milliseconds")
              .replace("+00:00", "Z"), "lat": round(lat, 7), "lon": round(lon, 7)}
        if cs:  # the callsign the track's report at the event carries
            ev["callsign"] = cs
        if typ == "enter":
            entered[track, zid] = t
        else:
            ev["dwell_s"] = round(t - entered.pop((track, zid)), 3)
        print(json.dumps(ev))


main()
