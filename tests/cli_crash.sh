#!/usr/bin/env bash
# Crash safety: replay --db killed with SIGKILL at random moments, 20 times. After every
# kill the SQLite file passes integrity_check and holds at least every event the process
# had reported as committed; replaying again completes the file with no duplicate, the
# same events and visits as a run never interrupted.
source "$(dirname "$0")/testlib.sh"
GEN="$(dirname "$AW")/bench/gen_tracks"
require "$GEN (the benchmark's track generator, built with the suite)" [ -x "$GEN" ]
Z=builtin:east-asia
"$GEN" 4000 400000 csv >"$TMP/day.csv"

"$AW" replay --zones "$Z" --db "$TMP/clean.db" "$TMP/day.csv" >/dev/null 2>&1
total=$(sqlite3 "$TMP/clean.db" "SELECT count(*) FROM events")
expect "the uninterrupted run stores events" [ "$total" -gt 1000 ]

last=0
for i in $(seq 1 20); do
    "$AW" replay --progress --zones "$Z" --db "$TMP/crash.db" "$TMP/day.csv" >/dev/null 2>"$TMP/err.$i" &
    pid=$!
    sleep "$($PY -c "import random; random.seed($i); print(round(random.uniform(0.3, 2.5), 2))")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    committed=$(grep -o '[0-9]* events committed' "$TMP/err.$i" | tail -n 1 | cut -d' ' -f1)
    committed=${committed:-0}
    [ "$(sqlite3 "$TMP/crash.db" 'PRAGMA integrity_check')" = ok ] || fail "kill $i: integrity_check"
    # Killed before the store was created (a loaded machine): no table yet, no events.
    have=$(sqlite3 "$TMP/crash.db" "SELECT count(*) FROM events" 2>/dev/null)
    have=${have:-0}
    # Reported counts are of this run's new events; the file holds those and all before.
    [ "$have" -ge $((last + committed)) ] || fail "kill $i: $have events in the file, $last + $committed reported"
    last=$have
done
ok "20 kills: integrity_check ok, every reported commit in the file ($last events so far)"

"$AW" replay --zones "$Z" --db "$TMP/crash.db" "$TMP/day.csv" >/dev/null 2>&1
expect "the replay after the kills completes" [ $? -eq 0 ]
expect "the same number of events as the uninterrupted run" \
    [ "$(sqlite3 "$TMP/crash.db" 'SELECT count(*) FROM events')" -eq "$total" ]
q="SELECT track, zone, type, cause, time_ms FROM events ORDER BY track, zone, time_ms, type"
expect "the same events" [ "$(sqlite3 "$TMP/crash.db" "$q" | md5sum)" = "$(sqlite3 "$TMP/clean.db" "$q" | md5sum)" ]
v="SELECT track, zone, enter_ms, exit_ms, exit_cause FROM visits ORDER BY track, zone, enter_ms"
expect "the same visits" [ "$(sqlite3 "$TMP/crash.db" "$v" | md5sum)" = "$(sqlite3 "$TMP/clean.db" "$v" | md5sum)" ]
finish
