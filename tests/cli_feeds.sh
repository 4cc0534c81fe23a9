#!/usr/bin/env bash
# Real feeds through the CLI, on the project's fixtures: readsb aircraft.json snapshots
# (files and folders, watch --poll of a file and a URL), the readsb JSON position stream,
# dbFlags into --advise, files nobody reads, and the smaller input rules (zoneless times,
# Feature ids, dates). The real samples and the reference cases: cli_feeds_shared.sh.
source "$(dirname "$0")/testlib.sh"
FEEDS="$FIXTURES/feeds"

box korea 35 36 128 130 >"$TMP/korea.geojson"

# ---- snapshots: a folder with readsb's other files beside them, names not in time order
mkdir -p "$TMP/snap"
cp "$FEEDS/aircraft_2.json" "$TMP/snap/history_0.json"
cp "$FEEDS/aircraft_1.json" "$TMP/snap/history_1.json"
echo '{"version":"3.14","refresh":1000,"history":2}' >"$TMP/snap/receiver.json"
"$AW" replay --zones "$TMP/korea.geojson" "$TMP/snap" >"$TMP/snap.jsonl" 2>"$TMP/snap.err"
expect "a snapshot folder replays" test $? -eq 0
expect_grep "non-snapshot files are named as skipped" "1 files that are not aircraft.json snapshots" "$TMP/snap.err"
expect_grep "snapshots: each new position or attribute once (4 + 2 reports)" ": 6 lines, 4 reports, 2 attribute-only" "$TMP/snap.err"
expect_grep "position time is now - seen_pos" '"track":"71be12","zone":"korea","time":"2022-11-30T05:27:57.500Z"' "$TMP/snap.jsonl"
expect_grep "a ~ address is its own track" '"track":"~71be12"' "$TMP/snap.jsonl"
expect_grep "callsign from flight" '"callsign":"KAL123"' "$TMP/snap.jsonl"
"$AW" replay --zones "$TMP/korea.geojson" "$FEEDS/aircraft_1.json" "$FEEDS/aircraft_2.json" \
    >"$TMP/snap2.jsonl" 2>"$TMP/snap2.err"
expect "snapshot files named one by one give the same events" cmp -s "$TMP/snap.jsonl" "$TMP/snap2.jsonl"

# ---- watch --poll: aircraft.json read again from its folder, and over HTTP
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
    local n=$(($1 * 10)); shift
    for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done
    return 1
}
lines_at_least() { [ -f "$2" ] && [ "$(wc -l <"$2")" -ge "$1" ]; }
mkdir -p "$TMP/poll"
cp "$FEEDS/aircraft_1.json" "$TMP/poll/aircraft.json"
"$AW" watch --poll "$TMP/poll/aircraft.json" --interval 0.2 --zones "$TMP/korea.geojson" \
    >"$TMP/poll.jsonl" 2>"$TMP/poll.err" &
watch_pid=$!
wait_for 60 lines_at_least 2 "$TMP/poll.jsonl"
cp "$FEEDS/aircraft_2.json" "$TMP/poll/next.json" && mv "$TMP/poll/next.json" "$TMP/poll/aircraft.json"
# the second snapshot's events (waited for: a loaded machine polls late), then a second of
# polls that must add nothing
wait_for 60 lines_at_least "$(wc -l <"$TMP/snap.jsonl")" "$TMP/poll.jsonl"
sleep 1
kill -TERM "$watch_pid"
wait "$watch_pid"
expect "watch --poll of a file exits 0 on SIGTERM" test $? -eq 0
expect "polling the file gives the events of replaying both snapshots" cmp -s "$TMP/poll.jsonl" "$TMP/snap.jsonl"
expect_grep "each snapshot's news once, however often it is read" ": 6 lines, 4 reports, 2 attribute-only" "$TMP/poll.err"

mkdir -p "$TMP/www"
port=$(free_port)
$PY -m http.server "$port" --bind 127.0.0.1 --directory "$TMP/www" >/dev/null 2>&1 &
http_pid=$!
"$AW" watch --poll "http://127.0.0.1:$port/data/aircraft.json" --interval 0.2 --zones "$TMP/korea.geojson" \
    >"$TMP/http.jsonl" 2>"$TMP/http.err" &
watch_pid=$!
wait_for 60 grep -q "404" "$TMP/http.err"
expect_grep "an HTTP error is reported and the watch goes on" "404" "$TMP/http.err"
mkdir -p "$TMP/www/data" && cp "$FEEDS/aircraft_1.json" "$TMP/www/data/aircraft.json"
wait_for 60 lines_at_least 2 "$TMP/http.jsonl"
kill -TERM "$watch_pid"
wait "$watch_pid"
expect "watch --poll of a URL exits 0 on SIGTERM" test $? -eq 0
kill "$http_pid" 2>/dev/null
wait "$http_pid" 2>/dev/null
head -n 2 "$TMP/snap.jsonl" >"$TMP/first.jsonl"
expect "the URL's snapshot gives its events" cmp -s "$TMP/http.jsonl" "$TMP/first.jsonl"
expect_grep "and the watch says it reads again" "read again" "$TMP/http.err"

# ---- the JSON position stream from a file: line numbers for bad lines
"$AW" replay --zones "$TMP/korea.geojson" "$FEEDS/positions.jsonl" >"$TMP/pos.jsonl" 2>"$TMP/pos.err"
expect "position lines replay" test $? -eq 0
expect_grep "a line without now is a bad line, with its number" "positions.jsonl:4: bad line: no \"now\"" "$TMP/pos.err"
expect_grep "position lines: 3 reports, 1 bad" "4 lines, 2 reports, 1 attribute-only.*1 bad lines" "$TMP/pos.err"
expect_grep "a stream line's ground target" '"track":"~c0ffee"' "$TMP/pos.jsonl"

# ---- dbFlags: readsb's military bit identifies an aircraft for --advise
"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/day.csv" 2>/dev/null
cat >"$TMP/totrace.py" <<'EOF'
import csv, datetime, json, os, sys
src, out, mil = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
by = {}
for r in csv.DictReader(l for l in open(src) if not l.startswith("#")):  # simulate's provenance line
    t = datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00")).timestamp()
    by.setdefault(r["id"], []).append((t, float(r["lat"]), float(r["lon"]), r["alt_ft"]))
os.makedirs(out, exist_ok=True)
for ident, pts in by.items():  # every aircraft shows a callsign and squawk: identified
    pts.sort()
    trace = [[round(t - pts[0][0], 3), lat, lon, int(float(a)) if a else None, None, None, 0, None,
              {"flight": "X" + ident, "squawk": "1234"} if j == 0 else None]
             for j, (t, lat, lon, a) in enumerate(pts)]
    json.dump({"icao": ident, "dbFlags": 1 if ident in mil else 0, "timestamp": pts[0][0],
               "trace": trace}, open(os.path.join(out, "trace_full_%s.json" % ident), "w"))
EOF
expect "the day written as trace files, the H-6 pair flagged military" $PY "$TMP/totrace.py" "$TMP/day.csv" "$TMP/mil" T0011,T0012
expect "and again with no flag" $PY "$TMP/totrace.py" "$TMP/day.csv" "$TMP/civ" ""
"$AW" replay --zones builtin:east-asia --advise --friendly KR,JP "$TMP/mil" >"$TMP/mil.jsonl" 2>/dev/null
"$AW" replay --zones builtin:east-asia --advise --friendly KR,JP "$TMP/civ" >"$TMP/civ.jsonl" 2>/dev/null
expect "the H-6 pair flagged military in dbFlags is advised on, though it shows a callsign" \
    test "$(grep '"type":"scramble_advice"' "$TMP/mil.jsonl" | grep -c '"track":"t001[12]"')" -gt 0
expect "and only they" test "$(grep '"type":"scramble_advice"' "$TMP/mil.jsonl" | grep -vc '"track":"t001[12]"')" -eq 0
expect "without the flag the identified pair is not" test "$(grep -c '"type":"scramble_advice"' "$TMP/civ.jsonl")" -eq 0

# ---- a file nobody reads: one message naming the formats tried, exit 2, nothing served
printf '\x7fELF\x02\x01\x01\x00garbage' >"$TMP/unknown.bin"
"$AW" replay --zones "$TMP/korea.geojson" "$TMP/unknown.bin" >/dev/null 2>"$TMP/unknown.err"
expect "an unreadable file is refused with exit 2" test $? -eq 2
expect_grep "the formats tried are named" "not a format adizwatch reads (tried CSV, SBS, readsb JSON lines" "$TMP/unknown.err"
"$AW" serve --zones "$TMP/korea.geojson" --replay "$TMP/unknown.bin" --http 127.0.0.1:0 >/dev/null 2>"$TMP/serve.err"
expect "serve --replay of an unreadable file fails at start" test $? -eq 2
expect_grep "serve names the formats tried" "tried CSV" "$TMP/serve.err"

# ---- smaller things: OpenSky rows without a position, zoneless times, Feature ids, dates
printf 'time,id,lat,lon,callsign\n2022-11-30T05:30:00,abc123,35.5,129,\n2022-11-30T05:31:00,abc123,,,KAL1\n' >"$TMP/nz.csv"
"$AW" replay --zones "$TMP/korea.geojson" "$TMP/nz.csv" >"$TMP/nz.jsonl" 2>"$TMP/nz.err"
expect_grep "a time without a zone is refused, the accepted forms named" \
    'is not a time with a zone: write 2022-11-30T03:48:00Z, 2022-11-30T12:48:00+09:00 or Unix seconds, or give --assume-utc' "$TMP/nz.err"
expect "and nothing is fed" test ! -s "$TMP/nz.jsonl"
"$AW" replay --assume-utc --zones "$TMP/korea.geojson" --db "$TMP/nz.db" "$TMP/nz.csv" >"$TMP/nz.jsonl" 2>"$TMP/nz.err"
expect_grep "--assume-utc takes it as UTC" '"time":"2022-11-30T05:30:00.000Z"' "$TMP/nz.jsonl"
expect_grep "a row without position is attribute-only" "1 attribute-only" "$TMP/nz.err"
"$AW" events --db "$TMP/nz.db" --since 2022-11-30 --until 2022-11-30 >"$TMP/day.ev" 2>&1
expect "events --since/--until take a date (the UTC day)" test "$(grep -c '"type":"enter"' "$TMP/day.ev")" -eq 1
"$AW" events --db "$TMP/nz.db" --until 2022-11-29 >"$TMP/before.ev" 2>&1
expect "--until a day before finds nothing" test "$(grep -c '"type"' "$TMP/before.ev")" -eq 0
cat >"$TMP/fid.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"kadiz-east","properties":{"name":"box"},
  "geometry":{"type":"Polygon","coordinates":[[[128,35],[130,35],[130,36],[128,36],[128,35]]]}},
 {"type":"Feature","id":7,"properties":{"name":"box2"},
  "geometry":{"type":"Polygon","coordinates":[[[128,35],[130,35],[130,36],[128,36],[128,35]]]}}]}
EOF
"$AW" replay --zones "$TMP/fid.geojson" "$FEEDS/positions.jsonl" >"$TMP/fid.jsonl" 2>"$TMP/fid.err"
expect_grep "a Feature-level id names the zone" '"zone":"kadiz-east"' "$TMP/fid.jsonl"
expect_grep "a numeric Feature id too" '"zone":"7"' "$TMP/fid.jsonl"
sed 's/"properties":{"name":"box"}/"properties":{"id":"other","name":"box"}/' "$TMP/fid.geojson" >"$TMP/fid2.geojson"
"$AW" replay --zones "$TMP/fid2.geojson" "$FEEDS/positions.jsonl" >/dev/null 2>"$TMP/fid2.err"
expect "a Feature id and a different property id are refused" test $? -eq 2
expect_grep "naming both" 'id "kadiz-east" and its property id "other" differ' "$TMP/fid2.err"

finish
