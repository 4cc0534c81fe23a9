#!/usr/bin/env bash
# replay on the suite's own fixtures: events, bad lines, formats, stdin, --strict.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"

# CSV: hand-computed events; two bad lines reported with their numbers; one stale report.
"$AW" replay --zones "$Z" "$FIXTURES/tracks_basic.csv" >"$TMP/out.jsonl" 2>"$TMP/err"
expect "replay exits 0 despite bad lines" [ $? -eq 0 ]
expect "events match the hand-computed ones" $PY "$TESTS/match_events.py" "$TMP/out.jsonl" "$FIXTURES/tracks_basic.expected.jsonl"
expect_grep "bad time reported with its line number" 'tracks_basic.csv:12: bad line: time "not-a-time"' "$TMP/err"
expect_grep "bad latitude reported with its line number" 'tracks_basic.csv:13: bad line: lat "95"' "$TMP/err"
expect_grep "summary counts" '13 lines, 9 reports, 0 attribute-only, 3 tracks, 6 events, 1 dropped (stale/duplicate), 2 bad lines' "$TMP/err"
expect "every event line is JSON with ms UTC time" $PY -c '
import json, re, sys
for line in open(sys.argv[1]):
    ev = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", ev["time"]), ev
    assert ev["type"] in ("enter", "exit") and ev["cause"] in ("crossing", "first_seen", "lost")
    assert ("dwell_s" in ev) == (ev["type"] == "exit")
' "$TMP/out.jsonl"

# The same from stdin, format detected.
"$AW" replay --zones "$Z" - <"$FIXTURES/tracks_basic.csv" >"$TMP/stdin.jsonl" 2>/dev/null
expect "stdin gives the same events" cmp -s "$TMP/out.jsonl" "$TMP/stdin.jsonl"

# --strict stops at the first bad line with status 1.
"$AW" replay --strict --zones "$Z" "$FIXTURES/tracks_basic.csv" >/dev/null 2>"$TMP/err"
expect "--strict exits 1" [ $? -eq 1 ]
expect_grep "--strict names the line" 'tracks_basic.csv:12' "$TMP/err"

# SBS with CRLF, receiver clock UTC+9, callsign from MSG 1, an AIR line, two bad lines.
"$AW" replay --format sbs --tz +09:00 --zones "$Z" "$FIXTURES/tracks_basic.sbs" >"$TMP/sbs.jsonl" 2>"$TMP/err"
expect "SBS replay exits 0" [ $? -eq 0 ]
grep aaa001 "$FIXTURES/tracks_basic.expected.jsonl" >"$TMP/aaa001.jsonl"
expect "SBS events match (times shifted from UTC+9)" $PY "$TESTS/match_events.py" "$TMP/sbs.jsonl" "$TMP/aaa001.jsonl"
expect_grep "SBS bad hex ident reported" 'tracks_basic.sbs:9: bad line: hex ident' "$TMP/err"
expect_grep "SBS summary" '9 lines, 3 reports, 2 attribute-only, 1 tracks, 2 events, 1 dropped (stale/duplicate), 2 bad lines, 1 skipped' "$TMP/err"
"$AW" replay --zones "$Z" "$FIXTURES/tracks_basic.sbs" >"$TMP/sbs_utc.jsonl" 2>/dev/null
expect "without --tz the clock is taken as UTC (9 h later)" \
    grep -q '"time":"2023-11-15T07:14:10.000Z"' "$TMP/sbs_utc.jsonl"

# Many bad lines: the first 20 printed, the rest counted.
{ echo "time,id,lat,lon"; for i in $(seq 1 30); do echo "$i,x,abc,1"; done; } >"$TMP/bad.csv"
"$AW" replay --zones "$Z" "$TMP/bad.csv" >/dev/null 2>"$TMP/err"
expect "20 bad lines printed" [ "$(grep -c ': bad line: ' "$TMP/err")" -eq 20 ]
expect_grep "all 30 counted" '30 bad lines' "$TMP/err"

# --max-tracks: the longest idle track is evicted, lost from the zones it was in.
printf 'time,id,lat,lon\n1,a,0,0.5\n2,b,0,0.5\n3,c,0,0.5\n' >"$TMP/three.csv"
"$AW" replay --max-tracks 2 --zones "$Z" "$TMP/three.csv" >"$TMP/evict.jsonl" 2>"$TMP/err"
expect_grep "the oldest track is lost when a third comes" '"type":"exit","cause":"lost","track":"a"' "$TMP/evict.jsonl"
expect_grep "and the eviction is reported" '1 tracks evicted to stay within --max-tracks' "$TMP/err"
"$AW" replay --max-tracks 0 --zones "$Z" "$TMP/three.csv" >/dev/null 2>&1
expect "--max-tracks 0 is refused" [ $? -eq 2 ]

# Through a pipe that goes quiet, the store still commits every second and the events it
# committed are printed: they come out while the writer still holds the pipe open.
mkfifo "$TMP/quiet.fifo"
# (the writer holds the pipe far longer than the wait, which a loaded machine may need)
(cat "$FIXTURES/tracks_basic.csv"; exec sleep 120) >"$TMP/quiet.fifo" &
writer=$!
"$AW" replay --zones "$Z" --db "$TMP/quiet.db" - <"$TMP/quiet.fifo" >"$TMP/quiet.jsonl" 2>"$TMP/quiet.err" &
reader=$!
wait_until 60 [ -s "$TMP/quiet.jsonl" ]
expect "a quiet pipe: events printed before the input ends" [ -s "$TMP/quiet.jsonl" ]
expect "... and the replay is still reading it" kill -0 "$reader"
expect_no_grep "... (no summary yet)" " lines, " "$TMP/quiet.err"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
wait "$reader"
expect "... then it ends when the writer does: status 0" [ $? -eq 0 ]
expect "... with every event printed and stored" \
    [ "$(wc -l <"$TMP/quiet.jsonl")" -eq "$(sqlite3 "$TMP/quiet.db" 'SELECT count(*) FROM events')" ]

# A pipe given as a file (process substitution) is read as stdin is: its first bytes are
# not taken by a look at the format.
"$AW" replay --zones "$Z" "$FIXTURES/tracks_basic.csv" >"$TMP/file.jsonl" 2>/dev/null
"$AW" replay --zones "$Z" <(cat "$FIXTURES/tracks_basic.csv") >"$TMP/subst.jsonl" 2>"$TMP/err"
expect "replay <(cat FILE): status 0" [ $? -eq 0 ]
expect "... the same events as the file" cmp -s "$TMP/file.jsonl" "$TMP/subst.jsonl"

# Usage errors and missing files: status 2, a message.
"$AW" replay --zones "$Z" /nonexistent/file.csv >/dev/null 2>"$TMP/err"
expect "missing input file: status 2" [ $? -eq 2 ]
"$AW" replay "$FIXTURES/tracks_basic.csv" >/dev/null 2>"$TMP/err"
expect "missing --zones: status 2" [ $? -eq 2 ]
"$AW" replay --tz nine --zones "$Z" "$FIXTURES/tracks_basic.csv" >/dev/null 2>"$TMP/err"
expect "bad --tz: status 2" [ $? -eq 2 ]
finish
