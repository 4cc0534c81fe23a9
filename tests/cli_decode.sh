#!/usr/bin/env bash
# decode, and replay/watch of binary inputs, on the suite's own fixtures: raw hex, Beast,
# ASTERIX. The shared recordings are cli_decode_shared.sh's.
source "$(dirname "$0")/testlib.sh"

# ---- raw hex: the classic frames ---------------------------------------------------
"$AW" decode --format raw "$FIXTURES/frames.raw" >"$TMP/raw.jsonl" 2>"$TMP/err"
expect "decode raw exits 0 despite bad frames" [ $? -eq 0 ]
expect_grep "bad line reported" 'not a raw-hex frame: this is not a frame' "$TMP/err"
expect_grep "bad parity reported" 'DF17 parity check failed' "$TMP/err"
expect_grep "summary counts" '8 frames, 7 records decoded, 2 bad, 0 skipped' "$TMP/err"
expect "decoded records are the published answers" $PY - "$TMP/raw.jsonl" <<'PYEOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 7, recs
allowed = {"category", "sac", "sic", "time_of_day", "track_number", "icao24", "callsign",
           "mode3a", "flight_level", "rho_nm", "theta_deg", "lat", "lon", "altitude_ft",
           "groundspeed_kt", "track_deg", "df", "typecode"}
assert all(set(r) <= allowed for r in recs), recs
assert recs[0] == {"icao24": "40621d", "altitude_ft": 38000.0, "df": 17, "typecode": 11}
assert abs(recs[1]["lat"] - 52.2572) < 1e-4 and abs(recs[1]["lon"] - 3.91937) < 1e-5
assert recs[2]["callsign"] == "KLM1023" and recs[2]["typecode"] == 4
assert abs(recs[3]["groundspeed_kt"] - 159.20) < 0.01 and abs(recs[3]["track_deg"] - 182.88) < 0.01
assert recs[4] == {"icao24": "40621d", "df": 11}
assert recs[5] == {"icao24": "40621d", "altitude_ft": 38000.0, "df": 4}
assert abs(recs[6]["lat"] - 52.26578) < 1e-5 and abs(recs[6]["lon"] - 3.93891) < 1e-5
PYEOF

# ---- Beast: the same frames framed by an independent encoder, with 0x1a escapes ------
$PY - "$FIXTURES/frames.raw" "$TMP/frames.bin" <<'PYEOF'
import sys
out = bytearray(b"\x00\x01garbage")
for i, line in enumerate(open(sys.argv[1])):
    line = line.strip()
    if not line.startswith(("*", "@")):
        continue
    hexpart = line[13:-1] if line[0] == "@" else line[1:-1]
    data = bytes.fromhex(hexpart)
    ts = (0x1a1a00 + i * 12_000_000).to_bytes(6, "big")  # 0x1a bytes must be escaped
    body = ts + bytes([0x1a]) + data
    out += b"\x1a" + (b"3" if len(data) == 14 else b"2") + body.replace(b"\x1a", b"\x1a\x1a")
open(sys.argv[2], "wb").write(out)
PYEOF
"$AW" decode --format beast "$TMP/frames.bin" >"$TMP/beast.jsonl" 2>"$TMP/err"
expect "decode beast exits 0" [ $? -eq 0 ]
expect_grep "leading garbage counted" '8 frames, 7 records decoded, 2 bad' "$TMP/err"
expect "Beast gives the same records as raw hex" cmp -s "$TMP/raw.jsonl" "$TMP/beast.jsonl"
"$AW" decode --format beast --frames "$TMP/frames.bin" >"$TMP/frames.txt" 2>/dev/null
expect "--frames prints the MLAT counter and the frame" grep -qx '@0000001A1A008D40621D58C386435CC412692AD6;' "$TMP/frames.txt"

# ---- replay of raw hex into zone events ---------------------------------------------
cat >"$TMP/zones.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"north_sea"},
  "geometry":{"type":"Polygon","coordinates":[[[3,52],[5,52],[5,53],[3,53],[3,52]]]}}]}
JSON
"$AW" replay --zones "$TMP/zones.geojson" --format raw --start 2024-06-06T10:00:00Z \
    "$FIXTURES/frames.raw" >"$TMP/ev.jsonl" 2>"$TMP/err"
expect "replay --format raw exits 0" [ $? -eq 0 ]
expect_grep "entry from the decoded CPR position, at --start" \
    '"type":"enter","cause":"first_seen","track":"40621d","zone":"north_sea","time":"2024-06-06T10:00:00.000Z","lat":52.257202' "$TMP/ev.jsonl"
"$AW" replay --zones "$TMP/zones.geojson" --format beast --start 2024-06-06T10:00:00Z \
    "$TMP/frames.bin" >"$TMP/ev2.jsonl" 2>"$TMP/err"
expect "Beast replay: MLAT seconds after --start" \
    grep -q '"track":"40621d","zone":"north_sea","time":"2024-06-06T10:00:01.000Z"' "$TMP/ev2.jsonl"

# ---- ASTERIX CAT048 with a radar site -------------------------------------------------
$PY - "$TMP/cat048.ast" <<'PYEOF'
import sys
rec = bytes.fromhex("FFF50102" "0709" "070840" "A100" "64802000" "0FC0" "0578" "20C1"
                    "3C4B5A" "1c11b1cb3820" "010102030405060708" "0ABC" "08004000" "03AABB")
blk = bytes([48]) + (3 + len(rec)).to_bytes(2, "big") + rec
open(sys.argv[1], "wb").write(blk + bytes([48, 0, 2]))  # then a block with an impossible LEN
PYEOF
"$AW" decode --format asterix --radar-site 7/9=35.0,129.0,100 "$TMP/cat048.ast" >"$TMP/48.jsonl" 2>"$TMP/err"
expect "decode asterix exits 0" [ $? -eq 0 ]
expect_grep "bad block reported" 'length 2 is impossible' "$TMP/err"
expect "CAT048 record fields" $PY - "$TMP/48.jsonl" <<'PYEOF'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
r = r[0]
assert (r["category"], r["sac"], r["sic"], r["icao24"], r["callsign"], r["mode3a"]) == (48, 7, 9, "3c4b5a", "GAF123", "7700"), r
assert (r["rho_nm"], r["theta_deg"], r["flight_level"], r["track_number"], r["time_of_day"]) == (100.5, 45.0, 350.0, 2748, 3600.5), r
assert 35.9 < r["lat"] < 36.3 and 130.2 < r["lon"] < 130.6, r
PYEOF
"$AW" decode --format asterix --radar-site 7/9=35,129 "$TMP/cat048.ast" >/dev/null 2>"$TMP/err"
expect "bad --radar-site: status 2" [ $? -eq 2 ]
"$AW" decode "$TMP/cat048.ast" >/dev/null 2>"$TMP/err"
expect "decode without --format: status 2" [ $? -eq 2 ]
"$AW" decode --format asterix /nonexistent.ast >/dev/null 2>"$TMP/err"
expect "decode of a missing file: status 2" [ $? -eq 2 ]
"$AW" replay --zones "$TMP/zones.geojson" --format beast /nonexistent.bin >/dev/null 2>"$TMP/err"
expect "replay of a missing binary file: status 2" [ $? -eq 2 ]

# ---- watch: raw hex over TCP ----------------------------------------------------------
port=$(free_port)
$PY "$TESTS/feed_server.py" "$port" "$FIXTURES/frames.raw" &
server_pid=$!
sleep 0.3
"$AW" watch --connect "127.0.0.1:$port" --format raw --zones "$TMP/zones.geojson" \
    >"$TMP/w.jsonl" 2>"$TMP/werr" &
watch_pid=$!
wait_until 60 grep -q '"track":"40621d","zone":"north_sea"' "$TMP/w.jsonl" # (a loaded machine)
kill -TERM "$watch_pid"; wait "$watch_pid"; rc=$?
kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
expect "watch --format raw exits 0 on SIGTERM" [ $rc -eq 0 ]
expect_grep "live raw hex gives the zone entry" '"track":"40621d","zone":"north_sea"' "$TMP/w.jsonl"
finish
