#!/usr/bin/env bash
# Output that cannot be written is never lost without a word: a full stdout ends the run
# with a message and status 1; a reader that goes away (`| head -1`) ends it quietly, as
# Unix filters end (killed by SIGPIPE: status 141); with --db, stdout shows only what the
# store committed, even when the disk fills mid-run; the longest events print whole.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"

# 4000 tracks crossing the square, each an enter and an exit: some 600 KB of events,
# far more than a pipe and stdio buffer hold.
$PY - "$TMP/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,id,lat,lon,alt_ft,callsign\n")
    for t in range(4000):
        for k in range(3):
            f.write("%d,t%05d,0,%.3f,30000,\n" % (1700000000 + 60 * k, t, -0.5 + k))
EOF

# ---- a full stdout
"$AW" replay --zones "$Z" "$FIXTURES/tracks_basic.csv" >/dev/full 2>"$TMP/err"
expect "replay > /dev/full exits 1" [ $? -eq 1 ]
expect_grep "and says why" 'cannot write the events: No space left on device' "$TMP/err"
"$AW" replay --zones "$Z" "$TMP/big.csv" >/dev/full 2>"$TMP/err"
expect "a long replay > /dev/full exits 1 too" [ $? -eq 1 ]
expect "saying so once" [ "$(grep -c 'cannot write' "$TMP/err")" -eq 1 ]
"$AW" zones list "$Z" >/dev/full 2>"$TMP/err"
expect "any command's full stdout is an error (zones list)" [ $? -eq 1 ]
expect_grep "said at exit" 'cannot write standard output: No space left on device' "$TMP/err"

# ---- a reader that goes away
"$AW" replay --zones "$Z" "$TMP/big.csv" 2>"$TMP/err" | head -1 >"$TMP/first.jsonl"
rc=${PIPESTATUS[0]}
expect "replay | head -1 ends by SIGPIPE (status 141), not 0 and not 1 (got $rc)" [ "$rc" -eq 141 ]
expect "quietly: nothing on stderr" [ ! -s "$TMP/err" ]
expect_grep "head got the first event" '"track":"t00000"' "$TMP/first.jsonl"
"$AW" replay --zones "$Z" --db "$TMP/pipe.db" "$TMP/big.csv" 2>"$TMP/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
expect "with --db as well (got $rc)" [ "$rc" -eq 141 ]
expect "quietly" [ ! -s "$TMP/err" ]
expect "the store is whole (committed before the end)" \
    [ "$(sqlite3 "$TMP/pipe.db" 'PRAGMA integrity_check')" = ok ]

# watch ignores SIGPIPE (it talks to sockets): a closed stdout must still end it, not
# leave it running with its output going nowhere.
port=$(free_port)
$PY "$TESTS/feed_server.py" "$port" "$TMP/big.csv" 2>/dev/null & # its peer goes away
server_pid=$!
( "$AW" watch --connect "127.0.0.1:$port" --zones "$Z" 2>"$TMP/werr"; echo $? >"$TMP/wrc" ) |
    head -1 >"$TMP/wfirst.jsonl" &
pipe_pid=$!
wait_until 60 [ -s "$TMP/wrc" ]
expect "watch | head -1 ends by itself" [ -s "$TMP/wrc" ]
expect "by SIGPIPE (status 141, got $(cat "$TMP/wrc" 2>/dev/null))" [ "$(cat "$TMP/wrc" 2>/dev/null)" = 141 ]
expect_no_grep "without an error message" 'cannot write\|error' "$TMP/werr"
expect_grep "head got an event" '"type":"enter"' "$TMP/wfirst.jsonl"
[ -s "$TMP/wrc" ] || pkill -TERM -P "$pipe_pid" 2>/dev/null
wait "$pipe_pid" 2>/dev/null
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null

# ---- --db: stdout shows what the store committed, and nothing else
# The first 100 tracks come, then a pause until the store has committed their 200 events
# and printed them (a quiet pipe is committed within a second; waited for, not slept, as a
# loaded machine reads late), then the rest, into a file that may not grow past 200 KB:
# the store fails mid-run. The events printed must be exactly those committed -- some,
# not none, and none of those lost.
rm -f "$TMP/full.db"
first_printed() { [ "$(wc -l <"$TMP/full.jsonl")" -ge 200 ]; }
(
    trap '' XFSZ # a write past the limit fails with EFBIG instead of killing
    ulimit -f 200
    { head -301 "$TMP/big.csv"; wait_until 60 first_printed; tail -n +302 "$TMP/big.csv"; } |
        "$AW" replay --zones "$Z" --db "$TMP/full.db" - >"$TMP/full.jsonl" 2>"$TMP/err"
    echo $? >"$TMP/rc"
)
expect "a store that fills exits 1" [ "$(cat "$TMP/rc")" -eq 1 ]
expect_grep "saying what was lost" 'events since the last commit were lost' "$TMP/err"
expect_grep "and that those were not printed" 'events not printed (never committed)' "$TMP/err"
"$AW" events --db "$TMP/full.db" >"$TMP/full_stored.jsonl"
printed=$(wc -l <"$TMP/full.jsonl")
expect "events were committed and printed before the disk filled ($printed)" [ "$printed" -ge 200 ]
expect "every printed event is in the store, and every stored one was printed" \
    $PY "$TESTS/match_events.py" "$TMP/full.jsonl" "$TMP/full_stored.jsonl"

# --strict stopping at a bad line after a good commit is not a failed commit.
"$AW" replay --strict --zones "$Z" --db "$TMP/strict.db" "$FIXTURES/tracks_basic.csv" \
    >"$TMP/strict.jsonl" 2>"$TMP/err"
expect "--strict --db stops with status 1" [ $? -eq 1 ]
expect_grep "at the bad line" 'tracks_basic.csv:12: bad line' "$TMP/err"
expect_no_grep "without blaming the store's commit" 'last commit failed' "$TMP/err"
"$AW" events --db "$TMP/strict.db" >"$TMP/strict_stored.jsonl"
expect "what it printed is what it stored" \
    $PY "$TESTS/match_events.py" "$TMP/strict.jsonl" "$TMP/strict_stored.jsonl"

# ---- the longest events: ids of control characters (six bytes each in JSON) and the
# longest altitude the engine takes make events of about 800 bytes; each is printed
# whole, as valid JSON. An altitude of 1e300 is no aircraft's: a bad line, with its number.
$PY - "$TMP" <<'EOF'
import json, sys
d = sys.argv[1]
zone = {"type": "Feature", "properties": {"id": "\x01" * 63, "kind": "adiz"},
        "geometry": {"type": "Polygon",
                     "coordinates": [[[0, -0.5], [1, -0.5], [1, 0.5], [0, 0.5], [0, -0.5]]]}}
open(d + "/long.geojson", "w").write(json.dumps(zone))
with open(d + "/long.csv", "w") as f:
    f.write("time,id,lat,lon,alt_ft,callsign\n")
    for k in range(3):
        f.write("%d,%s,0,%.1f,-9999999.9,%s\n" % (1700000000 + 60 * k, "\x02" * 31, -0.5 + k, "\x03" * 11))
    f.write("%d,%s,0,2.5,1e300,%s\n" % (1700000180, "\x02" * 31, "\x03" * 11))
EOF
"$AW" replay --zones "$TMP/long.geojson" --db "$TMP/long.db" "$TMP/long.csv" >"$TMP/long.jsonl" 2>"$TMP/err"
expect "replay of the longest events exits 0" [ $? -eq 0 ]
expect_grep "an altitude of 1e300 is a bad line" 'long.csv:5: bad line: .*altitude past 1e7 ft' "$TMP/err"
expect "both events printed, whole and valid" $PY -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert [e["type"] for e in ev] == ["enter", "exit"], ev
for e in ev:
    assert e["zone"] == "\x01" * 63 and e["track"] == "\x02" * 31 and e["callsign"] == "\x03" * 11
assert all(e["alt_ft"] == -9999999.9 for e in ev), ev
assert max(len(l) for l in open(sys.argv[1])) > 780
' "$TMP/long.jsonl"
finish
