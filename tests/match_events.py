#!/usr/bin/env python3
"""match_events.py ACTUAL EXPECTED -- do two event files agree within the contract's
tolerances? (Same (track, zone, type, cause) sequence per track and zone; time within
0.5 s; position within 30 m; dwell_s within 1 s; max_depth_m within 1 % or 50 m.)
Standard library only, so the suite's own fixtures need nothing from outside."""
import json
import math
import sys
from collections import defaultdict
from datetime import datetime


def load(path):
    groups = defaultdict(list)
    with open(path) as f:
        for line in f:
            if line.strip():
                ev = json.loads(line)
                groups[(ev["track"], ev["zone"])].append(ev)
    return groups


def seconds(ev):
    return datetime.fromisoformat(ev["time"].replace("Z", "+00:00")).timestamp()


def metres(a, b):
    # Local equirectangular: fine at the 30 m scale of the tolerance.
    dy = (a["lat"] - b["lat"]) * 111320.0
    dx = ((a["lon"] - b["lon"] + 180) % 360 - 180) * 111320.0 * math.cos(math.radians(a["lat"]))
    return math.hypot(dx, dy)


def main():
    actual, expected = load(sys.argv[1]), load(sys.argv[2])
    problems = []
    for key in sorted(set(actual) | set(expected)):
        a, e = actual.get(key, []), expected.get(key, [])
        if [(x["type"], x["cause"]) for x in a] != [(x["type"], x["cause"]) for x in e]:
            problems.append("%s: sequence %s, expected %s" % (
                key, [x["type"] + "/" + x["cause"] for x in a], [x["type"] + "/" + x["cause"] for x in e]))
            continue
        for x, y in zip(a, e):
            if abs(seconds(x) - seconds(y)) > 0.5:
                problems.append("%s: time %s, expected %s" % (key, x["time"], y["time"]))
            if metres(x, y) > 30:
                problems.append("%s: position off by %.0f m" % (key, metres(x, y)))
            # (An expected file may leave out what its source does not know: zone_oracle.py
            # gives no depth.)
            if y["type"] == "exit":
                if "dwell_s" in y and abs(x["dwell_s"] - y["dwell_s"]) > 1:
                    problems.append("%s: dwell_s %s, expected %s" % (key, x["dwell_s"], y["dwell_s"]))
                if "max_depth_m" in y and abs(x["max_depth_m"] - y["max_depth_m"]) > max(50, 0.01 * y["max_depth_m"]):
                    problems.append("%s: max_depth_m %s, expected %s" % (key, x["max_depth_m"], y["max_depth_m"]))
            if x.get("callsign") != y.get("callsign"):
                problems.append("%s: callsign %r, expected %r" % (key, x.get("callsign"), y.get("callsign")))
    for p in problems:
        print(p)
    n = sum(len(v) for v in expected.values())
    print("%d expected events, %d problems" % (n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
