#!/usr/bin/env bash
# Real feeds through the CLI: readsb aircraft.json snapshots (files and folders), the readsb
# JSON position stream, tar1090 trace files (plain, gzip, a folder tree), sniffing with
# --format auto, the timestamped Mode S lines, and files nobody reads. The reference
# cases' tracks, written out as readsb would (tests/feeds_from_tracks.py), must replay to
# the reference events. Parts needing ../shared are skipped with a message when absent.
source "$(dirname "$0")/testlib.sh"
FEEDS="$FIXTURES/feeds"
FORMATS="${SHARED:-}/data/formats"
CASES="${SHARED:-}/data/cases"
COMPARE="${SHARED:-}/tools/compare.py"

box() { # box NAME LAT0 LAT1 LON0 LON1 > zones.geojson
    cat <<EOF
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"$1","name":"$1"},
 "geometry":{"type":"Polygon","coordinates":[[[$4,$2],[$5,$2],[$5,$3],[$4,$3],[$4,$2]]]}}]}
EOF
}
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
wait_for 10 lines_at_least 2 "$TMP/poll.jsonl"
cp "$FEEDS/aircraft_2.json" "$TMP/poll/next.json" && mv "$TMP/poll/next.json" "$TMP/poll/aircraft.json"
sleep 1
kill -TERM "$watch_pid"
wait "$watch_pid"
expect "watch --poll of a file exits 0 on SIGTERM" test $? -eq 0
expect "polling the file gives the events of replaying both snapshots" cmp -s "$TMP/poll.jsonl" "$TMP/snap.jsonl"
expect_grep "each snapshot's news once, however often it is read" ": 6 lines, 4 reports, 2 attribute-only" "$TMP/poll.err"

mkdir -p "$TMP/www"
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY -m http.server "$port" --bind 127.0.0.1 --directory "$TMP/www" >/dev/null 2>&1 &
http_pid=$!
"$AW" watch --poll "http://127.0.0.1:$port/data/aircraft.json" --interval 0.2 --zones "$TMP/korea.geojson" \
    >"$TMP/http.jsonl" 2>"$TMP/http.err" &
watch_pid=$!
wait_for 10 grep -q "404" "$TMP/http.err"
expect_grep "an HTTP error is reported and the watch goes on" "404" "$TMP/http.err"
mkdir -p "$TMP/www/data" && cp "$FEEDS/aircraft_1.json" "$TMP/www/data/aircraft.json"
wait_for 10 lines_at_least 2 "$TMP/http.jsonl"
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

# ---- traces: plain and gzip, one file and a folder tree
box leg 46 46.8 -102 -100.5 >"$TMP/leg.geojson"
TRACE="$FORMATS/readsb/trace_full_ac671b.json"
if [ -f "$TRACE" ]; then
    "$AW" replay --zones "$TMP/leg.geojson" "$TRACE" >"$TMP/trace.jsonl" 2>"$TMP/trace.err"
    expect "the real trace replays with --format auto" test $? -eq 0
    expect_grep "all 2,500 points read" ": 2500 lines" "$TMP/trace.err"
    expect_grep "enters the box on the way west" '"type":"enter","cause":"crossing","track":"ac671b","zone":"leg"' "$TMP/trace.jsonl"
    expect_grep "and leaves it" '"type":"exit","cause":"crossing","track":"ac671b","zone":"leg"' "$TMP/trace.jsonl"
    # The same positions as CSV (timestamp + offset, "ground" as 0 ft) give the same events.
    $PY - "$TRACE" >"$TMP/trace.csv" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print("time,id,lat,lon,alt_ft,callsign")
cs = ""
for p in d["trace"]:
    if isinstance(p[8], dict) and p[8].get("flight", "").strip():
        cs = p[8]["flight"].strip()
    alt = 0 if p[3] == "ground" else ("" if p[3] is None else p[3])
    print("%r,%s,%r,%r,%s,%s" % (d["timestamp"] + p[0], d["icao"], p[1], p[2], alt, cs))
EOF
    "$AW" replay --zones "$TMP/leg.geojson" "$TMP/trace.csv" >"$TMP/trace_csv.jsonl" 2>/dev/null
    expect "trace and CSV of the same points give the same events" cmp -s "$TMP/trace.jsonl" "$TMP/trace_csv.jsonl"
    mkdir -p "$TMP/day/traces/1b"
    gzip -c "$TRACE" >"$TMP/day/traces/1b/trace_full_ac671b.json"
    echo '{"version":"3.14"}' >"$TMP/day/receiver.json"
    printf 'not json' >"$TMP/day/traces/1b/trace_full_000000.json"
    "$AW" replay --zones "$TMP/leg.geojson" "$TMP/day" >"$TMP/day.jsonl" 2>"$TMP/day.err"
    expect_grep "other files in the tree are skipped, and said to be" "1 files that are not trace files skipped" "$TMP/day.err"
    expect_grep "a damaged trace file is reported by name" "trace_full_000000.json: bad file: not JSON" "$TMP/day.err"
    expect "a gzipped trace in a folder tree gives the same events" cmp -s "$TMP/trace.jsonl" "$TMP/day.jsonl"
    expect_grep "the merge says how many files it held at once" "2 trace files merged in time order, at most 1 decoded at once" "$TMP/day.err"
else
    echo "SKIP part: $TRACE is absent"
fi

# ---- sniffing every input with --format auto
if [ -d "$FORMATS" ]; then
    box all -60 70 -30 150 >"$TMP/all.geojson"
    "$AW" replay --zones "$TMP/all.geojson" "$FORMATS/beast/sample_dump1090.bin" >/dev/null 2>"$TMP/beast.err"
    expect_grep "a Beast capture is recognised" "239 frames, 232 records decoded" "$TMP/beast.err"
    "$AW" replay --zones "$TMP/all.geojson" "$FORMATS/asterix/cat_062_065.pcap" >/dev/null 2>"$TMP/pcap.err"
    expect_grep "a pcap capture is recognised" "2 ASTERIX blocks, 2 records decoded" "$TMP/pcap.err"
    "$AW" replay --zones "$TMP/all.geojson" "$FORMATS/asterix/cat062cat065.raw" >/dev/null 2>"$TMP/ast.err"
    expect_grep "raw ASTERIX is recognised" "ASTERIX blocks, 2 records decoded" "$TMP/ast.err"
    gzip -c "$FORMATS/beast/sample_dump1090.bin" >"$TMP/beast.bin.gz"
    "$AW" replay --zones "$TMP/all.geojson" "$TMP/beast.bin.gz" >/dev/null 2>"$TMP/beastgz.err"
    expect_grep "a gzipped Beast capture is read through zlib" "239 frames, 232 records decoded" "$TMP/beastgz.err"
    "$AW" replay --zones "$TMP/all.geojson" "$FORMATS/modes/data.txt" >"$TMP/modes.jsonl" 2>"$TMP/modes.err"
    expect_grep "timestamped Mode S lines decode" "4516 frames" "$TMP/modes.err"
    expect_grep "with the times of their lines" '"time":"2015-03-03T16:1' "$TMP/modes.jsonl"
    # pcapng and the other link types libpcap reads: the same records as the Ethernet pcap
    PCAP="$FORMATS/asterix/cat_062_065.pcap"
    "$AW" decode "$PCAP" >"$TMP/pcap_ref.jsonl" 2>/dev/null
    expect "decode sniffs the pcap (2 records)" test "$(wc -l <"$TMP/pcap_ref.jsonl")" -eq 2
    $PY "$TESTS/pcap_variants.py" "$PCAP" "$TMP/pv"
    for f in pcapng.pcapng sll.pcap sll2.pcap raw.pcap ipv6.pcap; do
        "$AW" decode "$TMP/pv/$f" >"$TMP/pv.jsonl" 2>"$TMP/pv.err"
        expect "$f gives the same records as the Ethernet pcap" cmp -s "$TMP/pv.jsonl" "$TMP/pcap_ref.jsonl"
    done
    "$AW" replay --zones "$TMP/all.geojson" "$PCAP" >"$TMP/pcap_ev.jsonl" 2>/dev/null
    "$AW" replay --zones "$TMP/all.geojson" "$TMP/pv/pcapng.pcapng" >"$TMP/pcapng_ev.jsonl" 2>/dev/null
    expect "replay of the pcapng gives the pcap's events (packet times included)" \
        cmp -s "$TMP/pcap_ev.jsonl" "$TMP/pcapng_ev.jsonl"
    expect "and there are events" test -s "$TMP/pcap_ev.jsonl"
else
    echo "SKIP part: $FORMATS is absent"
fi

# ---- dbFlags: readsb's military bit identifies an aircraft for --advise
"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/day.csv" 2>/dev/null
cat >"$TMP/totrace.py" <<'EOF'
import csv, datetime, json, os, sys
src, out, mil = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
by = {}
for r in csv.DictReader(open(src)):
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
$PY "$TMP/totrace.py" "$TMP/day.csv" "$TMP/mil" T0011,T0012
$PY "$TMP/totrace.py" "$TMP/day.csv" "$TMP/civ" ""
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
OPENSKY="$FORMATS/opensky/5a3cd3c3fd1305596a12f01b3d1a1df0.csv"
if [ -f "$OPENSKY" ]; then
    "$AW" replay --zones "$TMP/korea.geojson" "$OPENSKY" >/dev/null 2>"$TMP/os.err"
    expect_grep "OpenSky rows without a position update attributes, not bad lines" \
        "31 attribute-only, .* 0 bad lines" "$TMP/os.err"
else
    echo "SKIP part: $OPENSKY is absent"
fi
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

# ---- readsb's JSON port live: watch --connect, lines split anywhere, a reconnect
if [ -d "$CASES" ] && [ -f "$COMPARE" ]; then
    dir="$CASES/synthetic"
    $PY "$TESTS/feeds_from_tracks.py" lines "$dir/tracks.csv" "$TMP/live.jsonl"
    port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    $PY "$TESTS/feed_server.py" "$port" "$TMP/live.jsonl" 2>/dev/null &
    server_pid=$!
    sleep 0.5
    "$AW" watch --connect "127.0.0.1:$port" --zones "$dir/zones.geojson" >"$TMP/live_ev.jsonl" 2>"$TMP/live.err" &
    watch_pid=$!
    for _ in $(seq 1 100); do
        grep -q "connected to.*" "$TMP/live.err" && [ "$(grep -c 'connected to' "$TMP/live.err")" -ge 2 ] &&
            [ "$(wc -l <"$TMP/live_ev.jsonl")" -ge 30 ] && break
        sleep 0.2
    done
    sleep 0.5
    kill -TERM "$watch_pid"
    wait "$watch_pid"
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    $PY "$COMPARE" "$TMP/live_ev.jsonl" "$dir/expected.jsonl" >"$TMP/live.cmp"
    expect_grep "watch --connect on readsb JSON lines gives every reference event" "matched 30 of 30" "$TMP/live.cmp"
    expect "beyond them only the live feed's 'exit lost' at the end" \
        test "$(grep '^  extra:' "$TMP/live.cmp" | grep -vc 'exit lost')" -eq 0
fi

# ---- the reference cases, as snapshots, traces and position lines
if [ -d "$CASES" ] && [ -f "$COMPARE" ]; then
    for name in synthetic kansai1; do
        dir="$CASES/$name"
        for kind in snapshots traces lines; do
            $PY "$TESTS/feeds_from_tracks.py" "$kind" "$dir/tracks.csv" "$TMP/$name.$kind"
            "$AW" replay --zones "$dir/zones.geojson" "$TMP/$name.$kind" >"$TMP/$name.$kind.jsonl" 2>"$TMP/err"
            if [ $? -ne 0 ]; then fail "$name as $kind: replay failed"; cat "$TMP/err"; continue; fi
            last=$($PY "$COMPARE" "$TMP/$name.$kind.jsonl" "$dir/expected.jsonl" | tail -n 1)
            if [[ "$last" =~ \(100\.0%\),\ extra\ 0$ ]]; then
                ok "$name as $kind: $last"
            else
                fail "$name as $kind: $last"
            fi
        done
    done
else
    echo "SKIP part: the reference cases are absent (looked in '$CASES')"
fi
finish
