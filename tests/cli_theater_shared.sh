#!/usr/bin/env bash
# The built-in East Asia theater on the JSO-digitized 30 Nov 2022 morning track in
# ../shared (skipped, status 77, when it is absent).
source "$(dirname "$0")/testlib.sh"
cd "$TMP"

# The JSO-digitized morning track of 30 Nov 2022: the research notes found it leaves the
# KADIZ at about 33.26N 128.09E and re-enters at about 36.17N 130.80E ("NE of Pohang").
JSO="${SHARED:-$TESTS/../../shared}/data/east-asia/jso_20221130_tracks_digitized.geojson"
need_shared "$JSO"
$PY - "$JSO" >"$TMP/am.csv" <<'PY'
import json, math, sys
f = json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"]
print("time,id,lat,lon,alt_ft,callsign")
t = 1669754880.0  # 2022-11-30 05:48 KST, the JCS entry time; 820 km/h along the path
for i, (lon, lat) in enumerate(f):
    if i:
        plon, plat = f[i - 1]
        a = math.radians
        d = 6371.0 * math.acos(min(1, math.sin(a(lat)) * math.sin(a(plat)) +
                               math.cos(a(lat)) * math.cos(a(plat)) * math.cos(a(lon - plon))))
        t += d / 820.0 * 3600
    print(f"{t:.0f},h6kam,{lat:.6f},{lon:.6f},25000,H6K")
PY
"$AW" replay --timeout 86400 --zones builtin:east-asia "$TMP/am.csv" >"$TMP/am.jsonl" 2>"$TMP/err"
expect "JSO track replays" [ $? -eq 0 ]
expect "KADIZ exit and re-entry where the notes put them (0.1 deg)" $PY -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["zone"] == "KADIZ"]
x = [e for e in ev if e["type"] == "exit" and e["cause"] == "crossing"]
n = [e for e in ev if e["type"] == "enter" and e["cause"] == "crossing"]
assert x and abs(x[0]["lat"] - 33.26) < 0.1 and abs(x[0]["lon"] - 128.09) < 0.1, ev
assert n and abs(n[0]["lat"] - 36.17) < 0.1 and abs(n[0]["lon"] - 130.80) < 0.1, ev
' "$TMP/am.jsonl"
expect "no territorial airspace entered (none was violated)" $PY -c '
import json, sys
assert not any(json.loads(l)["zone"].startswith("TA-") for l in open(sys.argv[1]))
' "$TMP/am.jsonl"
# The JCS put the re-entry "NE of Pohang"; where names Pohang as the nearest place.
read -r lat lon < <($PY -c '
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])]
e = [x for x in e if x["zone"] == "KADIZ" and x["type"] == "enter" and x["cause"] == "crossing"]
print(e[0]["lat"], e[0]["lon"])' "$TMP/am.jsonl")
"$AW" where "$lat" "$lon" >"$TMP/where" 2>&1
expect_grep "the re-entry is described relative to Pohang" 'km E*N*E of Pohang' "$TMP/where"
finish
