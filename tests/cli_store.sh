#!/usr/bin/env bash
# replay --db and events: a real SQLite file; replaying the same input adds nothing;
# the query filters.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"
DB="$TMP/events.db"

"$AW" replay --zones "$Z" --db "$DB" "$FIXTURES/tracks_basic.csv" >"$TMP/first.jsonl" 2>"$TMP/err"
expect "replay --db exits 0" [ $? -eq 0 ]
expect_grep "summary says what was stored" '6 new events stored, 0 store errors' "$TMP/err"
"$AW" replay --zones "$Z" --db "$DB" "$FIXTURES/tracks_basic.csv" >/dev/null 2>"$TMP/err"
expect_grep "a second replay stores nothing new" '0 new events stored' "$TMP/err"
expect "the file holds 6 events" [ "$(sqlite3 "$DB" 'SELECT count(*) FROM events')" -eq 6 ]
expect "and 3 visits, all closed" [ "$(sqlite3 "$DB" "SELECT count(*) FROM visits WHERE exit_ms IS NOT NULL")" -eq 3 ]
expect "integrity_check is ok" [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ]

"$AW" events --db "$DB" >"$TMP/all.jsonl"
expect "events prints what replay printed" $PY "$TESTS/match_events.py" "$TMP/all.jsonl" "$TMP/first.jsonl"
"$AW" events --db "$DB" --zone square >"$TMP/sq.jsonl"
expect "--zone filters: the two events of square" [ "$(wc -l <"$TMP/sq.jsonl")" -eq 2 ]
expect "--zone filters: no event of another zone" [ "$(grep -vc '"zone":"square"' "$TMP/sq.jsonl")" -eq 0 ]
"$AW" events --db "$DB" --track aaa003 >"$TMP/t.jsonl"
expect "--track filters" [ "$(wc -l <"$TMP/t.jsonl")" -eq 2 ]
"$AW" events --db "$DB" --since 2023-11-14T22:14:11Z --until 1700000150 >"$TMP/w.jsonl"
expect "--since/--until (ISO and epoch) bound the time" [ "$(wc -l <"$TMP/w.jsonl")" -eq 2 ]
"$AW" events --db "$DB" --since yesterday >/dev/null 2>"$TMP/err"
expect "a bad --since is refused with status 2" [ $? -eq 2 ]
"$AW" events --db "$TMP/none.db" >/dev/null 2>"$TMP/err"
expect "a missing store is an error" [ $? -eq 1 ]
expect "and is not created" [ ! -e "$TMP/none.db" ]
# The timeline: observer's local time, zone, who, where in words, dwell on exits.
"$AW" events --db "$DB" --text --tz +09:00 --aircraft-db "$FIXTURES/aircraft_db.csv" >"$TMP/tl.txt"
expect "one line per event" [ "$(wc -l <"$TMP/tl.txt")" -eq 6 ]
expect_grep "local time of the observer" '^2023-11-15 07:14:10 +09:00  enter square' "$TMP/tl.txt"
expect_grep "exits say how long" 'exit  square .* after 2 min, 55 km deep' "$TMP/tl.txt"
expect_grep "places in words" ' km [NESW]* of ' "$TMP/tl.txt"
finish
