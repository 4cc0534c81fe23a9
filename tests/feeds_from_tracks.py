#!/usr/bin/env python3
"""Write a reference case's tracks.csv as readsb / tar1090 would have written it.

    feeds_from_tracks.py snapshots TRACKS.csv OUTDIR   # aircraft.json files, one per second
    feeds_from_tracks.py traces    TRACKS.csv OUTDIR   # traces/XX/trace_full_<id>.json(.gz)
    feeds_from_tracks.py lines     TRACKS.csv OUT      # the JSON position stream

Snapshots are written as readsb writes aircraft.json: every second an aircraft was heard,
each aircraft listed while its last position is under 60 s old, with seen_pos its age.
So most positions appear in several snapshots, which is what the reader must not count
twice. Rows that arrive older than their aircraft's last (tracks.csv may hold such, to
test that they are dropped) are left out, as readsb leaves them out. Traces: the timestamp base is the first point's time, each point an offset;
every other file is gzipped, and a few points carry a details object with the callsign.
File names are not in time order (history_N.json is a ring in readsb), and a
receiver.json sits beside the snapshots, as in readsb's --write-json folder."""
import csv
import gzip
import json
import math
import os
import sys


def rows(path):
    """The rows in file (arrival) order, less those not newer than the last one kept of
    their aircraft: readsb never writes a position older than one it has written."""
    newest = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            t = float(r["time"])
            if r["id"] in newest and t <= newest[r["id"]]:
                continue
            newest[r["id"]] = t
            yield (t, r["id"], float(r["lat"]), float(r["lon"]),
                   r.get("alt_ft", ""), r.get("callsign", ""))


def alt(value):
    if value in ("", None):
        return None
    v = float(value)
    return int(v) if v == int(v) else v


def snapshots(tracks, out):
    os.makedirs(out, exist_ok=True)
    data = sorted(rows(tracks))
    seconds = sorted({math.ceil(t) for t, *_ in data})
    last = {}  # id -> latest row so far
    i = 0
    with open(os.path.join(out, "receiver.json"), "w") as f:
        json.dump({"version": "test", "refresh": 1000, "history": 0}, f)
    for k, now in enumerate(seconds):
        while i < len(data) and data[i][0] <= now:
            last[data[i][1]] = data[i]
            i += 1
        aircraft = []
        for ident, (t, _, lat, lon, a, cs) in sorted(last.items()):
            if now - t >= 60:
                continue
            ac = {"hex": ident, "type": "adsb_icao", "alt_baro": alt(a), "gs": 450.0,
                  "track": 90.0, "lat": lat, "lon": lon, "seen_pos": round(now - t, 3),
                  "seen": round(now - t, 3), "messages": 10, "rssi": -20.0}
            if cs:
                ac["flight"] = cs.ljust(8)
            if ac["alt_baro"] is None:
                del ac["alt_baro"]
            aircraft.append(ac)
        name = "history_%d.json" % ((k * 7919) % 1000003)
        with open(os.path.join(out, name), "w") as f:
            json.dump({"now": float(now), "messages": 1000 + k, "aircraft": aircraft}, f)


def traces(tracks, out):
    by_id = {}
    for r in sorted(rows(tracks)):
        by_id.setdefault(r[1], []).append(r)
    for n, (ident, pts) in enumerate(sorted(by_id.items())):
        base = pts[0][0]
        trace = []
        for j, (t, _, lat, lon, a, cs) in enumerate(pts):
            details = None
            if j % 10 == 0 and cs:
                details = {"type": "adsb_icao", "flight": cs.ljust(8), "squawk": "1234"}
            trace.append([round(t - base, 3), lat, lon, alt(a), 450.0, 90.0,
                          2 if j == 0 else 0, 0, details, "adsb_icao", None, None, None, None])
        doc = {"icao": ident, "r": "TEST%d" % n, "t": "B738", "dbFlags": 0,
               "timestamp": base, "trace": trace}
        folder = os.path.join(out, "traces", ident[-2:])
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "trace_full_%s.json" % ident)
        text = json.dumps(doc).encode()
        if n % 2:
            with gzip.open(path + ".gz", "wb") as f:
                f.write(text)
        else:
            with open(path, "wb") as f:
                f.write(text)


def lines(tracks, out):
    with open(out, "w") as f:
        for t, ident, lat, lon, a, cs in sorted(rows(tracks)):
            ac = {"now": t, "hex": ident, "type": "adsb_icao", "alt_baro": alt(a),
                  "lat": lat, "lon": lon, "seen_pos": 0.0, "seen": 0.0}
            if cs:
                ac["flight"] = cs.ljust(8)
            f.write(json.dumps(ac) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("snapshots", "traces", "lines"):
        sys.exit(__doc__)
    {"snapshots": snapshots, "traces": traces, "lines": lines}[sys.argv[1]](sys.argv[2], sys.argv[3])
