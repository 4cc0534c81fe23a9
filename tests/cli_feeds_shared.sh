#!/usr/bin/env bash
# Real feeds through the CLI on the shared data (skipped when ../shared is absent): the
# real tar1090 trace (plain, gzip, a folder tree, the same events as CSV of its points),
# every real sample told by its first bytes, pcapng and the other link types, OpenSky rows
# without a position, and the reference cases' tracks written out as readsb would
# (tests/feeds_from_tracks.py): as snapshots, traces and position lines, live through
# watch --connect and through serve --replay, they give the reference events.
source "$(dirname "$0")/testlib.sh"
FORMATS="${SHARED:-}/data/formats"
CASES="${SHARED:-}/data/cases"
COMPARE="${SHARED:-}/tools/compare.py"
need_shared "$FORMATS/readsb/trace_full_ac671b.json" "$FORMATS/beast/sample_dump1090.bin" \
    "$FORMATS/asterix/cat_062_065.pcap" "$FORMATS/asterix/cat062cat065.raw" \
    "$FORMATS/modes/data.txt" "$FORMATS/opensky/5a3cd3c3fd1305596a12f01b3d1a1df0.csv" \
    "$CASES/synthetic" "$CASES/kansai1" "$COMPARE"

box korea 35 36 128 130 >"$TMP/korea.geojson"

# ---- traces: plain and gzip, one file and a folder tree
box leg 46 46.8 -102 -100.5 >"$TMP/leg.geojson"
TRACE="$FORMATS/readsb/trace_full_ac671b.json"
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

# ---- sniffing every input with --format auto
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

# ---- serve --replay of a binary recording
"$AW" serve --zones "$TMP/korea.geojson" --replay "$FORMATS/beast/sample_dump1090.bin" \
    --http 127.0.0.1:0 >/dev/null 2>"$TMP/serve_bin.err"
expect "serve --replay of a binary recording is refused at start" test $? -eq 2
expect_grep "pointing to replay" "binary recording; .*use \`adizwatch replay\`" "$TMP/serve_bin.err"

# ---- OpenSky rows without a position
OPENSKY="$FORMATS/opensky/5a3cd3c3fd1305596a12f01b3d1a1df0.csv"
"$AW" replay --zones "$TMP/korea.geojson" "$OPENSKY" >/dev/null 2>"$TMP/os.err"
expect_grep "OpenSky rows without a position update attributes, not bad lines" \
    "31 attribute-only, .* 0 bad lines" "$TMP/os.err"

# ---- readsb's JSON port live: watch --connect, lines split anywhere, a reconnect
dir="$CASES/synthetic"
$PY "$TESTS/feeds_from_tracks.py" lines "$dir/tracks.csv" "$TMP/live.jsonl"
port=$(free_port)
$PY "$TESTS/feed_server.py" "$port" "$TMP/live.jsonl" 2>/dev/null &
server_pid=$!
sleep 0.5
"$AW" watch --connect "127.0.0.1:$port" --zones "$dir/zones.geojson" >"$TMP/live_ev.jsonl" 2>"$TMP/live.err" &
watch_pid=$!
live_seen() { [ "$(grep -c 'connected to' "$TMP/live.err")" -ge 2 ] && [ "$(wc -l <"$TMP/live_ev.jsonl")" -ge 30 ]; }
wait_until 60 live_seen # (a loaded machine)
sleep 0.5
kill -TERM "$watch_pid"
wait "$watch_pid"
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
$PY "$COMPARE" "$TMP/live_ev.jsonl" "$dir/expected.jsonl" >"$TMP/live.cmp"
expect_grep "watch --connect on readsb JSON lines gives every reference event" "matched 30 of 30" "$TMP/live.cmp"
expect "beyond them only the live feed's 'exit lost' at the end" \
    test "$(grep '^  extra:' "$TMP/live.cmp" | grep -vc 'exit lost')" -eq 0

# ---- the reference cases, as snapshots, traces and position lines
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
# serve --replay of the traces folder: the same events, paced (here at 100000x)
"$AW" serve --zones "$CASES/kansai1/zones.geojson" --replay "$TMP/kansai1.traces" --speed 100000 \
    --http 127.0.0.1:0 >"$TMP/serve_tr.jsonl" 2>"$TMP/serve_tr.err" &
serve_pid=$!
# until the replay is done (every event out): up to 60 s, a loaded machine is slow
tr_done() {
    local port
    port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/serve_tr.err" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
    [ -n "$port" ] && curl -s "http://127.0.0.1:$port/api/stats" | grep -q '"state":"done"'
}
wait_until 60 tr_done
kill -TERM "$serve_pid"
wait "$serve_pid"
expect "serve --replay of a traces folder exits 0 on SIGTERM" test $? -eq 0
last=$($PY "$COMPARE" "$TMP/serve_tr.jsonl" "$CASES/kansai1/expected.jsonl" | tail -n 1)
[[ "$last" =~ \(100\.0%\),\ extra\ 0$ ]] && ok "serve --replay of traces: $last" ||
    fail "serve --replay of traces: $last"
finish
