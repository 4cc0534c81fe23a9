#!/usr/bin/env bash
# decode of the shared recordings (../shared/data/formats; skipped, status 77, when they
# are absent): the Beast sample against an independent standard-library parse and CRC,
# the CAT062 pcap against its reference decode, and the pcap's payload over UDP live.
source "$(dirname "$0")/testlib.sh"
F="${SHARED:-$TESTS/../../shared}/data/formats"
need_shared "$F/beast/sample_dump1090.bin" "$F/asterix/cat_062_065.pcap" \
    "$F/asterix/cat_062_065_json.txt"
cat >"$TMP/zones.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"north_sea"},
  "geometry":{"type":"Polygon","coordinates":[[[3,52],[5,52],[5,53],[3,53],[3,52]]]}}]}
JSON

# ---- the Beast sample --------------------------------------------------------------------
"$AW" decode --format beast --frames "$F/beast/sample_dump1090.bin" >"$TMP/ours.txt" 2>/dev/null
expect "Beast sample: the same frames as an independent parse" $PY - "$F/beast/sample_dump1090.bin" "$TMP/ours.txt" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
frames, i = [], 0
lengths = {0x31: 2, 0x32: 7, 0x33: 14}
while i < len(data):
    assert data[i] == 0x1a, i
    n = 6 + 1 + lengths[data[i + 1]]
    j, body = i + 2, bytearray()
    while len(body) < n:
        if data[j] == 0x1a:
            assert data[j + 1] == 0x1a
            j += 1
        body.append(data[j]); j += 1
    frames.append("@%s%s;" % (body[:6].hex().upper(), body[7:].hex().upper()))
    i = j
ours = open(sys.argv[2]).read().split()
assert len(frames) == 239, len(frames)
assert ours == frames, [(a, b) for a, b in zip(ours, frames) if a != b][:3]
PYEOF
# Which frames decode and which are skipped, found independently: the Mode S CRC-24 of
# every frame (DF17/18 and DF11 carry their address in clear; the others overlay it on the
# parity, so the CRC's syndrome is the address), an address counting as known once a
# clean DF11/17/18 has carried it (the sample spans 24 s, within the decoder's 300 s).
# Each skipped frame is named with its reason; the decoder must skip exactly those.
"$AW" decode --format beast "$F/beast/sample_dump1090.bin" >/dev/null 2>"$TMP/err"
$PY - "$F/beast/sample_dump1090.bin" >"$TMP/expected_counts" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()

def syndrome(msg):
    n, nbits = int.from_bytes(msg, "big"), len(msg) * 8
    reg = 0
    for i in range(nbits - 25, -1, -1):  # the bits before the 24-bit parity field
        top = (reg >> 23) & 1
        reg = (reg << 1) & 0xFFFFFF
        if top ^ ((n >> (24 + i)) & 1):
            reg ^= 0xFFF409
    return reg ^ (n & 0xFFFFFF)

lengths = {0x31: 2, 0x32: 7, 0x33: 14}
i, known, decoded, bad, skipped, ticks = 0, set(), 0, 0, [], []
while i < len(data):
    n, j, body = 6 + 1 + lengths[data[i + 1]], i + 2, bytearray()
    while len(body) < n:
        j += data[j] == 0x1A
        body.append(data[j])
        j += 1
    i = j
    ticks.append(int.from_bytes(body[:6], "big"))
    m = bytes(body[7:])
    df, syn = m[0] >> 3, syndrome(m)
    if df in (17, 18) or df == 11:
        if (df == 11 and syn >= 0x80) or (df != 11 and syn):
            bad += 1
            continue
        if syn == 0:
            known.add(int.from_bytes(m[1:4], "big"))
        decoded += 1
    elif syn in known:
        decoded += 1
    else:
        skipped.append("DF%d from %06x: that address was not heard in a clean DF11/17/18 before" % (df, syn))
assert (max(ticks) - min(ticks)) / 12e6 < 300
for s in skipped:
    print("skipped:", s, file=sys.stderr)
print("%d frames, %d records decoded, %d bad, %d skipped" % (len(ticks), decoded, bad, len(skipped)))
PYEOF
expect "Beast sample: decoded and skipped frames as an independent CRC check says" \
    grep -qF "$(cat "$TMP/expected_counts")" "$TMP/err"
expect_grep "(which is 232 decoded and 7 skipped)" '239 frames, 232 records decoded, 0 bad, 7 skipped' "$TMP/expected_counts"

"$AW" decode --format asterix "$F/asterix/cat_062_065.pcap" >"$TMP/062.jsonl" 2>"$TMP/err"
expect "pcap decode matches cat_062_065_json.txt" $PY - "$TMP/062.jsonl" "$F/asterix/cat_062_065_json.txt" <<'PYEOF'
import json, math, sys
ours = [json.loads(l) for l in open(sys.argv[1])]
refs = [json.loads(l)["CAT062"] for l in open(sys.argv[2]) if '"CAT062"' in l]
assert len(ours) == len(refs) == 2
for o, r in zip(ours, refs):
    assert (o["sac"], o["sic"]) == (r["I010"]["SAC"], r["I010"]["SIC"])
    assert o["time_of_day"] == r["I070"]["ToT"]
    assert abs(o["lat"] - r["I105"]["Lat"]) < 1e-7 and abs(o["lon"] - r["I105"]["Lon"]) < 1e-7
    assert o["mode3a"] == r["I060"]["Mode3A"]
    assert o["icao24"] == r["I380"]["ADR"]["ADR"].lower()
    assert o["callsign"] == r["I380"]["ID"]["ACID"].rstrip()
    assert o["track_number"] == r["I040"]["TrkN"]
    assert o["altitude_ft"] == r["I136"]["MFL"]
    vx, vy = r["I185"]["Vx"], r["I185"]["Vy"]
    assert abs(o["groundspeed_kt"] - math.hypot(vx, vy) * 3600 / 1852) < 1e-3
PYEOF
"$AW" replay --zones "$TMP/zones.geojson" --format asterix "$F/asterix/cat_062_065.pcap" >/dev/null 2>"$TMP/err"
expect_grep "pcap replay: two CAT062 reports reach the engine" '2 reports' "$TMP/err"

# ---- watch: ASTERIX over UDP (the pcap's payload sent to loopback) ---------------------
cat >"$TMP/adriatic.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"adriatic"},
  "geometry":{"type":"Polygon","coordinates":[[[15,40],[20,40],[20,42],[15,42],[15,40]]]}}]}
JSON
uport=$($PY -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$AW" watch --connect "udp://127.0.0.1:$uport" --format asterix --zones "$TMP/adriatic.geojson" \
    >"$TMP/u.jsonl" 2>"$TMP/uerr" &
watch_pid=$!
# datagrams sent before watch has bound the port are lost: wait until it says it listens
wait_until 60 grep -q "listening on udp://127.0.0.1:$uport" "$TMP/uerr"
$PY - "$F/asterix/cat_062_065.pcap" "$uport" <<'PYEOF'
import socket, sys, time
d = open(sys.argv[1], "rb").read()
payload = d[24 + 16 + 14 + 20 + 8:]  # one Ethernet/IPv4/UDP packet in the file
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3):
    s.sendto(payload, ("127.0.0.1", int(sys.argv[2])))
    time.sleep(0.2)
PYEOF
wait_until 60 [ "$(wc -l <"$TMP/u.jsonl")" -ge 2 ]
kill -TERM "$watch_pid"; wait "$watch_pid"; rc=$?
expect "watch udp exits 0 on SIGTERM" [ $rc -eq 0 ]
expect_grep "UDP ASTERIX track enters the zone" '"track":"4ca7a8","zone":"adriatic"' "$TMP/u.jsonl"
finish
