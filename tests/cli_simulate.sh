#!/usr/bin/env bash
# simulate: the built-in 30 Nov 2022 scenario, flown and replayed against the built-in
# zones, must give the KADIZ entries and exits the ROK JCS reported (within 3 min, at the
# places it named) and no territorial-airspace event, in CSV and in SBS; the same seed
# gives the same file; a served feed is followed by watch; bad scenarios are refused.
source "$(dirname "$0")/testlib.sh"

# From another directory: the scenario and the zones are compiled in.
AW="$(cd "$(dirname "$AW")" && pwd)/$(basename "$AW")"
cd "$TMP"
"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/sim.csv" 2>"$TMP/err"
expect "simulate to CSV exits 0" [ $? -eq 0 ]
expect_grep "summary names the aircraft and reports" '24 aircraft, [0-9]* reports' "$TMP/err"
expect_grep "CSV header is the replay columns" '^time,id,lat,lon,alt_ft,callsign,squawk,speed_kt,track_deg$' "$TMP/sim.csv"
"$AW" simulate builtin:2022-11-30 --seed 1 >"$TMP/again.csv" 2>/dev/null
expect "same seed, same reports (stdout = --out)" cmp -s "$TMP/sim.csv" "$TMP/again.csv"
"$AW" simulate builtin:2022-11-30 --seed 2 >"$TMP/other.csv" 2>/dev/null
differ() { ! cmp -s "$1" "$2"; }
expect "another seed, other noise" differ "$TMP/sim.csv" "$TMP/other.csv"
"$AW" simulate builtin:2022-11-30 --seed 1 --format sbs --tz +09:00 --out "$TMP/sim.sbs" 2>/dev/null
expect "simulate to SBS exits 0" [ $? -eq 0 ]
expect "SBS lines end in CRLF" grep -q $'\r$' "$TMP/sim.sbs"
expect_grep "radar tracks as non-ICAO SBS addresses" '^MSG,3,1,1,~0011,1,2022/11/30,05:' "$TMP/sim.sbs"

"$AW" replay --zones builtin:east-asia "$TMP/sim.csv" >"$TMP/csv.jsonl" 2>"$TMP/err"
expect "replay of the CSV exits 0" [ $? -eq 0 ]
expect_grep "no bad lines" ' 0 bad lines' "$TMP/err"
"$AW" replay --zones builtin:east-asia --tz +09:00 "$TMP/sim.sbs" >"$TMP/sbs.jsonl" 2>"$TMP/err"
expect "replay of the SBS exits 0" [ $? -eq 0 ]
expect_grep "no bad SBS lines" ' 0 bad lines' "$TMP/err"

check_events() { # FILE ID_PREFIX
    $PY - "$1" "$2" "$TESTS/../data/scenarios/2022-11-30.json" <<'PYEOF'
import json, math, sys, datetime
path, pre = sys.argv[1], sys.argv[2]
evs = [json.loads(l) for l in open(path)]
def t(e): return datetime.datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
def at(hhmm):  # KST on 30 Nov 2022 -> Unix seconds
    h, m = map(int, hhmm.split(":"))
    return datetime.datetime(2022, 11, 30, h, m, tzinfo=datetime.timezone(datetime.timedelta(hours=9))).timestamp()
def dist_brg(lat1, lon1, lat2, lon2):  # sphere; enough for "126 km NW"
    p1, p2, dl = map(math.radians, (lat1, lat2, lon2 - lon1))
    d = 6371.0 * math.acos(min(1, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    b = math.degrees(math.atan2(math.sin(dl) * math.cos(p2), math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl))) % 360
    return d, b
bad = []
# No foreign aircraft in Korea's or Japan's territorial airspace (what the JCS and JSO
# said). Their own scrambled fighters take off from home; the CN/RU field radars see the
# bombers' agreed landings abroad, which are no incursion either.
scen = json.load(open(sys.argv[3]))
nation = {pre + a["track"][1:]: a.get("nationality", "") for a in scen["aircraft"] if "track" in a}
ta = [e for e in evs if e["zone"] in ("TA-KR", "TA-JP", "TA-TW", "TA-KP") and nation.get(e["track"]) != e["zone"][3:]]
if ta: bad.append("territorial airspace events: %s" % ta[:3])
# Exactly the three KADIZ visits the JCS reported, and no other foreign aircraft in the
# KADIZ at any time (the JSO's Chinese fighters, J-16s and presumed Russian aircraft
# included): H-6 x2 05:48-06:13 and 06:44-07:07, eight aircraft 12:18-12:36.
visits = ((at("05:48"), at("06:13")), (at("06:44"), at("07:07")), (at("12:18"), at("12:36")))
foreign = [e for e in evs if e["zone"] == "KADIZ" and nation.get(e["track"]) != "KR"]
for e in foreign:
    if not any(a - 180 <= t(e) <= b + 180 for a, b in visits):
        bad.append("KADIZ %s of %s at %s, outside the JCS's three visits" % (e["type"], e["track"], e["time"]))
want_tracks = {pre + x for x in ("0011", "0012", "0021", "0022", "0023", "0024", "0031", "0032", "0041", "0042")}
if {e["track"] for e in foreign} != want_tracks:
    bad.append("foreign tracks in the KADIZ: %s" % sorted({e["track"] for e in foreign}))
# Eight aircraft: the airframes behind the tracks in the KADIZ, per type (JCS: H-6 x2,
# Tu-95 x4, Su-35 x2; the midday H-6K are the morning's).
frame = {pre + a["track"][1:]: (a["type"], a.get("airframe")) for a in scen["aircraft"] if "track" in a}
per_type = {}
for tr in {e["track"] for e in foreign}:
    per_type.setdefault(frame[tr][0], set()).add(frame[tr][1])
if {k: len(v) for k, v in per_type.items()} != {"H-6K": 2, "Tu-95MS": 4, "Su-35S": 2}:
    bad.append("airframes in the KADIZ per type: %s" % per_type)
def kadiz(track): return [e for e in evs if e["track"] == track and e["zone"] == "KADIZ"]
for track in (pre + "0011", pre + "0012"):
    k = kadiz(track)
    seq = [(e["type"], e["cause"]) for e in k]
    want = [("enter", "crossing"), ("exit", "crossing")] * 2
    if seq != want: bad.append("%s KADIZ events %s" % (track, seq)); continue
    for e, hhmm in zip(k, ("05:48", "06:13", "06:44", "07:07")):
        if abs(t(e) - at(hhmm)) > 180: bad.append("%s %s at %s, JCS %s" % (track, e["type"], e["time"], hhmm))
    d, b = dist_brg(32.12, 125.18, k[0]["lat"], k[0]["lon"])   # Ieodo
    if not (116 <= d <= 136 and 292.5 <= b <= 337.5): bad.append("%s entry %.0f km %.0f deg from Ieodo" % (track, d, b))
    d, b = dist_brg(36.03, 129.37, k[2]["lat"], k[2]["lon"])   # Pohang
    if not (0 < b < 90 and d < 250): bad.append("%s re-entry %.0f km %.0f deg from Pohang" % (track, d, b))
eight = [pre + x for x in ("0021", "0022", "0023", "0024", "0031", "0032", "0041", "0042")]
for track in eight:
    k = kadiz(track)
    if [(e["type"]) for e in k] != ["enter", "exit"]: bad.append("%s KADIZ events %s" % (track, k)); continue
    if abs(t(k[0]) - at("12:18")) > 180 or abs(t(k[1]) - at("12:36")) > 180:
        bad.append("%s KADIZ %s - %s, JCS 12:18 - 12:36" % (track, k[0]["time"], k[1]["time"]))
    d, b = dist_brg(37.50, 130.87, k[0]["lat"], k[0]["lon"])   # Ulleungdo
    if not (180 <= d <= 220 and 22.5 <= b <= 67.5): bad.append("%s entry %.0f km %.0f deg from Ulleungdo" % (track, d, b))
    d, b = dist_brg(37.24, 131.87, k[1]["lat"], k[1]["lon"])   # Dokdo
    # H-6 x2 + Tu-95 x2 go on south-west: out SE of Dokdo. Tu-95 x2 + Su-35 x2 turned
    # back north inside the KADIZ (the scenario's assumption): out across 39N.
    if track[-4:] in ("0021", "0022", "0031", "0032") and not (90 <= b <= 180):
        bad.append("%s exit %.0f deg from Dokdo, not SE" % (track, b))
    if track[-4:] in ("0023", "0024", "0041", "0042") and not (k[1]["lat"] > 38.99 and (b > 315 or b < 45)):
        bad.append("%s exit at %.2fN, %.0f deg from Dokdo, not north across 39N" % (track, k[1]["lat"], b))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PYEOF
}
expect "CSV: KADIZ times and places as the JCS reported, no TA events" check_events "$TMP/csv.jsonl" T
expect "SBS: the same" check_events "$TMP/sbs.jsonl" "~"
entry=$($PY -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["track"] == "T0011" and e["zone"] == "KADIZ": print(e["lat"], e["lon"]); break' "$TMP/csv.jsonl")
"$AW" where $entry >"$TMP/where" 2>&1
expect_grep "where: the morning entry is ~126 km from Ieodo" '^12[0-9] km W*NW of Ieodo' "$TMP/where"

# Served on loopback and followed by watch, at 3000 times real time, stopped by SIGTERM.
port=$(free_port)
"$AW" simulate builtin:2022-11-30 --listen "$port" --speed 3000 2>"$TMP/serr" &
sim_pid=$!
sleep 0.5
"$AW" watch --connect "127.0.0.1:$port" --zones builtin:east-asia --db "$TMP/live.db" \
    >"$TMP/live.jsonl" 2>"$TMP/werr" &
watch_pid=$!
t0011_kadiz_4() { [ "$(grep '"track":"T0011"' "$TMP/live.jsonl" | grep -c '"zone":"KADIZ"')" -ge 4 ]; }
wait_until 120 t0011_kadiz_4 # (ThreadSanitizer, a loaded machine)
kill -TERM "$watch_pid"; wait "$watch_pid"; wrc=$?
kill -TERM "$sim_pid"; wait "$sim_pid"; src=$?
expect "watch exits 0 on SIGTERM" [ $wrc -eq 0 ]
expect "simulate exits 0 on SIGTERM" [ $src -eq 0 ]
expect_grep "served on loopback" 'listening on 127.0.0.1:' "$TMP/serr"
expect_grep "simulate stopped on the signal" 'stopping on signal' "$TMP/serr"
grep '"track":"T0011"' "$TMP/csv.jsonl" | grep '"zone":"KADIZ"' >"$TMP/want.jsonl"
grep '"track":"T0011"' "$TMP/live.jsonl" | grep '"zone":"KADIZ"' >"$TMP/got.jsonl"
expect "live KADIZ events of T0011 match the file's" cmp -s "$TMP/want.jsonl" "$TMP/got.jsonl"
expect "the served feed's provenance comment reaches watch's store" \
    [ "$(sqlite3 "$TMP/live.db" "SELECT tracks || ' ' || input || ' ' || format FROM provenance")" = "simulated 127.0.0.1:$port csv" ]

# Bad scenarios: status 2, every problem named.
echo '{"aircraft":[{"track":"T1","squawk":"99","plan":{"departure":{"airfield":"NOPE","time":"x"}}}]}' >"$TMP/bad.json"
"$AW" simulate "$TMP/bad.json" >/dev/null 2>"$TMP/err"
expect "bad scenario: status 2" [ $? -eq 2 ]
expect_grep "bad squawk named" 'aircraft\[0\]: squawk "99" is not 4 octal digits' "$TMP/err"
expect_grep "unknown airfield named" 'airfield "NOPE" is not a known' "$TMP/err"
"$AW" simulate builtin:nope >/dev/null 2>"$TMP/err"
expect "unknown built-in: status 2" [ $? -eq 2 ]
"$AW" simulate builtin:2022-11-30 --format kml >/dev/null 2>"$TMP/err"
expect "bad --format: status 2" [ $? -eq 2 ]
"$AW" simulate builtin:2022-11-30 --observer XX >/dev/null 2>"$TMP/err"
expect "unknown observer: status 2" [ $? -eq 2 ]
"$AW" simulate builtin:2022-11-30 --observer JP --seed 1 >"$TMP/jp.csv" 2>/dev/null
expect "one observer's picture is smaller than both" [ "$(wc -l <"$TMP/jp.csv")" -lt "$(wc -l <"$TMP/sim.csv")" ]
# Who the radar tracks are: the scenario's aircraft as an aircraft database, read back
# by identify and by the timeline.
"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/db.csv" --aircraft-db "$TMP/aircraft.csv" 2>/dev/null
expect_grep "the database names the H-6K as Chinese and military" '^T0011,,,H-6K,,Mil,.*,CN$' "$TMP/aircraft.csv"
"$AW" identify T0021 --aircraft-db "$TMP/aircraft.csv" >"$TMP/id.json"
expect_grep "identify reads it" '"nation":"RU".*"type":"Tu-95MS","military":true,"unidentified":true' "$TMP/id.json"
"$AW" replay --zones builtin:east-asia --db "$TMP/day.db" "$TMP/db.csv" >/dev/null 2>&1
"$AW" events --db "$TMP/day.db" --zone KADIZ --text --tz +09:00 --aircraft-db "$TMP/aircraft.csv" >"$TMP/kr.txt"
expect_grep "the KR timeline: the H-6 pair enters at 05:47-05:48 KST near Ieodo" '^2022-11-30 05:4[78]:[0-9][0-9] +09:00  enter KADIZ .*H-6K (CN) .* of Ieodo' "$TMP/kr.txt"
"$AW" simulate builtin:2022-11-30 --seed 1 --format sbs --out "$TMP/db.sbs" --aircraft-db "$TMP/aircraft_sbs.csv" 2>/dev/null
expect_grep "with SBS the ids are those the SBS reader gives" '^~0011,' "$TMP/aircraft_sbs.csv"
# serve --simulate: the scenario flown and served as a replay, with who is who.
# (curl is one of the packages scripts/setup.sh installs: its absence fails, loudly.)
"$AW" serve --zones builtin:east-asia --simulate builtin:2022-11-30 --speed 3000 \
    --db "$TMP/serve.db" --http 127.0.0.1:0 >/dev/null 2>"$TMP/serve.err" &
spid=$!
url=""
for _ in $(seq 1 300); do # up to 60 s: a loaded machine, or ThreadSanitizer, is slow to start
    url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/serve.err" | head -n 1)
    [ -n "$url" ] && break
    sleep 0.2
done
expect "serve --simulate says its URL" [ -n "$url" ]
# The replay clock runs on wall time, but a loaded machine feeds late: wait for what is
# checked (the H-6K on the map, then its KADIZ entry committed to the store, once a
# second) rather than for a fixed time.
h6k_on_map() { curl -s "${url}api/tracks" >"$TMP/tracks.json" && grep -q '"T0011".*H-6K' "$TMP/tracks.json"; }
wait_until 60 h6k_on_map
pair_reported() {
    curl -s "${url}api/report?observer=KR&day=2022-11-30" >"$TMP/api_report.json" &&
        grep -q '"zone":"KADIZ","enter":"2022-11-29T20:4[78]:[0-9.]*Z".*"type":"H-6K","nation":"CN","count":2' "$TMP/api_report.json"
}
wait_until 60 pair_reported
curl -s -o /dev/null -w '%{http_code}' "${url}api/report?observer=KR" >"$TMP/api_report_400"
kill -TERM "$spid"
wait "$spid"
expect "serve --simulate stops cleanly" [ $? -eq 0 ]
expect_grep "the H-6K is on the map, typed from the scenario" '"T0011".*H-6K' "$TMP/tracks.json"
expect_grep "/api/report: the morning H-6K pair in the KADIZ" '"zone":"KADIZ","enter":"2022-11-29T20:4[78]:[0-9.]*Z".*"type":"H-6K","nation":"CN","count":2' "$TMP/api_report.json"
expect "/api/report without a day: 400" [ "$(cat "$TMP/api_report_400")" = 400 ]
expect "its temporary files are gone" [ -z "$(grep -o '/tmp/adizwatch-sim-[A-Za-z0-9]*' "$TMP/serve.err" | xargs -r ls 2>/dev/null)" ]
# The observer reports of the day, from the store (the KR one checked against the JCS).
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --reconcile JP \
    --aircraft-db "$TMP/aircraft.csv" --out "$TMP" 2>"$TMP/err"
expect "report exits 0" [ $? -eq 0 ]
KR="$TMP/report-KR-2022-11-30.md"
expect_grep "KR: the H-6 pair enters near Ieodo at 05:47-05:48 and leaves at 06:1x" \
    '^- 05:4[78] H-6K ×2 (CN) crossed into KADIZ, 1[0-9][0-9] km [NW]* of Ieodo; 06:1[0-6] crossed out' "$KR"
expect_grep "KR: re-enters east of Pohang at 06:4x and leaves at 07:0x" \
    '^- 06:4[1-7] H-6K ×2 (CN) crossed into KADIZ, .* of Pohang; 07:[01][0-9] crossed out' "$KR"
expect_grep "KR: one group of eight at 12:18, out at 12:3x" \
    '^- 12:1[5-9] Tu-95MS ×4 (RU), Su-35S ×2 (RU), H-6K ×2 (CN) crossed into KADIZ, .*; 12:3[3-9] crossed out' "$KR"
expect_grep "KR: no territorial violation, said so" '^None entered' "$KR"
expect_grep "KR: the reconcile names what only Japan counted" '^| J-16-1 | T0061 | J-16 (presumed) | CN | no | yes |' "$KR"
expect "the JSON has the incursions, none territorial" $PY - "$TMP/report-KR-2022-11-30.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
inc = r["incursions"]
assert r["observer"] == "KR" and len(inc) >= 3, r
assert all(not i["territorial"] for i in inc) and r["territorial_incursions"] == 0
eight = [i for i in inc if sum(a["count"] for a in i["aircraft"]) == 8]
assert len(eight) == 1 and eight[0]["enter"].startswith("2022-11-30T03:1"), eight
assert {a["type"] for a in eight[0]["aircraft"]} == {"Tu-95MS", "Su-35S", "H-6K"}
assert all(k in inc[0] for k in ("zone", "enter", "exit", "enter_place", "exit_place", "aircraft"))
PY
expect_grep "KR: the reconcile names the Tu-95 pair that turned back before Japan's zone" \
    '^| Tu-95MS-[0-9] | T0023 | Tu-95MS | RU | yes | no |' "$KR"
# Japan's report counts what the JSO counted: in the morning the H-6 pair; in the
# afternoon H-6 x2 + Tu-95 x2 flying jointly (not the eight Korea counted), then two
# presumed Chinese fighters and two J-16s; at night two Tu-95s; in the morning also two
# presumed Russian aircraft of unknown type -- and says why Korea
# counted otherwise.
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer JP --reconcile KR \
    --aircraft-db "$TMP/aircraft.csv" --out "$TMP" 2>"$TMP/err"
expect "JP report exits 0" [ $? -eq 0 ]
expect_grep "JP: the reconcile says why the counts differ" \
    '^\*\*Why the counts differ.\*\* JP.s account here: .* Only KR: .*Su-35S ×2 (RU).*, never inside JP.s ADIZ' \
    "$TMP/report-JP-2022-11-30.md"
expect "JP counts as the JSO did" $PY - "$TMP/report-JP-2022-11-30.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def kinds(i):
    return {(a["type"], a["nation"]): a["count"] for a in i["aircraft"]}
jadiz = [i for i in r["incursions"] if i["zone"] == "JADIZ"]
inc = [kinds(i) for i in jadiz]
assert inc[0] == {("H-6K", "CN"): 2}, inc                              # morning
assert {("unknown", "RU"): 2} in inc, inc                  # morning, presumed Russian
assert {("H-6K", "CN"): 2, ("Tu-95MS", "RU"): 2} in inc, inc            # jointly, afternoon
assert {("fighter (presumed Chinese)", "CN"): 2} in inc, inc
assert {("J-16 (presumed)", "CN"): 2} in inc, inc
assert not any(t == "Su-35S" for i in inc for t, _ in i), inc          # they turned back
night = [kinds(i) for i in jadiz if i["enter"] >= "2022-11-30T11:00"]    # after 20:00 JST
assert night == [{("Tu-95MS", "RU"): 2}], night
assert len(inc) == 6, inc
only_kr = {(k["type"], k["aircraft"]) for k in r["reconcile"]["only_theirs"]}
assert only_kr == {("Su-35S", 2), ("Tu-95MS", 2)}, only_kr
PY
finish

