#!/usr/bin/env bash
# adizwatch intercept: the what-if solver's JSON, against a case solved by hand.
source "$(dirname "$0")/testlib.sh"

# Head-on along the equator: base at 0E, target at 2E flying west at 500 kt, fighter
# 1000 kt airborne after 5 min. D = 6378137 m x 2 deg; V (t - 300) + W t = D.
"$AW" intercept --base 0,0 --ready-min 5 --speed-kt 1000 --target 0,2,270,500 \
    --territory square --zones "$FIXTURES/zones_basic.geojson" >"$TMP/out.json" 2>"$TMP/err"
expect "exit 0" [ $? -eq 0 ]
expect "the meeting time and the territory times are right" $PY - "$TMP/out.json" <<'PY'
import json, math, sys
r = json.load(open(sys.argv[1]))
kt = 0.514444444
d = 6378137 * math.radians(2)
t = (d + 1000 * kt * 300) / (1500 * kt)
assert r["possible"] and abs(r["intercept_time"] - t) < 0.1, (r, t)
assert abs(r["intercept_lat"]) < 1e-6
# The square spans 0..1E: the target reaches it after 1 deg of flight, before the meeting.
t_ta = 6378137 * math.radians(1) / (500 * kt)
assert abs(r["time_to_territory"] - t_ta) < 0.1, r
assert r["before_territory"] is False, r
PY
"$AW" intercept --base 0,0 --ready-min 5 --speed-kt 100 --target 0,2,90,500 --horizon-min 60 >"$TMP/none.json"
expect "no intercept within the horizon" grep -q '{"possible":false}' "$TMP/none.json"
"$AW" intercept --base 0,0 --speed-kt 100 --target 0,2,90 >/dev/null 2>"$TMP/err"
expect "bad arguments: status 2" [ $? -eq 2 ]
finish
