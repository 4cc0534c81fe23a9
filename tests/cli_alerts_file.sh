#!/usr/bin/env bash
# Alerts to a file: the rules select exactly what they say; ids are stable across runs and
# outboxes; a rerun into the same outbox sends nothing twice; with --db the outbox is in
# the store; a bad rule file is refused before anything runs, with its line.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1

"$AW" replay --zones "$ZONES" --rules "$RULES" --output "file:$TMP/a.jsonl" "$TMP/day.csv" \
    >"$TMP/out.jsonl" 2>"$TMP/err"
expect "replay with alerts exits 0" [ $? -eq 0 ]
expect "the events printed are unchanged" cmp -s "$TMP/out.jsonl" "$TMP/events.jsonl"
expect_grep "the default spool is named" 'queued in adizwatch-outbox.sqlite' "$TMP/err"
check_alerts "file sink got the selected events" "$TMP/a.jsonl"
expect "and nothing twice" [ "$(wc -l <"$TMP/a.jsonl")" -eq "$NEXPECTED" ]
expect "the outbox is empty" [ "$(sqlite3 adizwatch-outbox.sqlite 'SELECT count(*) FROM outbox')" -eq 0 ]

"$AW" replay --zones "$ZONES" --rules "$RULES" --output "file:$TMP/a.jsonl" "$TMP/day.csv" \
    >/dev/null 2>"$TMP/err"
expect "a rerun into the same outbox sends nothing again" [ "$(wc -l <"$TMP/a.jsonl")" -eq "$NEXPECTED" ]

"$AW" replay --zones "$ZONES" --rules "$RULES" --db "$TMP/s.db" --output "file:$TMP/b.jsonl" \
    "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay --db with alerts exits 0" [ $? -eq 0 ]
check_alerts "a new outbox (the store) gives the same ids" "$TMP/b.jsonl" "$TMP/a.jsonl"
expect "the alerts are in the store" [ "$(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM alerts')" -eq "$NEXPECTED" ]
expect "beside the events" [ "$(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM events')" -eq "$(wc -l <"$TMP/events.jsonl")" ]

# Without rules every zone event is an alert; --friendly drops a nation's aircraft.
"$AW" replay --zones "$ZONES" --spool "$TMP/all.sqlite" --output "file:$TMP/all.jsonl" "$TMP/day.csv" \
    >/dev/null 2>&1
expect "without --rules every event is an alert" [ "$(wc -l <"$TMP/all.jsonl")" -eq "$(wc -l <"$TMP/events.jsonl")" ]

# A bad rule file: exit 2, line and reason, nothing run, nothing created.
printf '[rule a]\nevents = enter\nzone_kinds = adiz\nmilitary = perhaps\n' >"$TMP/bad.ini"
"$AW" replay --zones "$ZONES" --rules "$TMP/bad.ini" --db "$TMP/never.db" "$TMP/day.csv" \
    >"$TMP/out2" 2>"$TMP/err"
expect "a bad rule file exits 2" [ $? -eq 2 ]
expect_grep "with its line and the reason" 'bad.ini:4: .perhaps. is not yes, no or any' "$TMP/err"
expect "and nothing ran" [ ! -s "$TMP/out2" ] && [ ! -e "$TMP/never.db" ]
"$AW" replay --zones "$ZONES" --output "gopher://x" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "an output of no known kind exits 2" [ $? -eq 2 ]
"$AW" replay --zones "$ZONES" --output "mqtt://127.0.0.1:1883" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "an MQTT output without a topic exits 2" [ $? -eq 2 ]
expect_grep "saying so" 'no topic' "$TMP/err"

# The shipped example rule file loads (a run with nothing to alert exits 0).
printf 'time,id,lat,lon\n' >"$TMP/empty.csv"
"$AW" replay --zones "$ZONES" --rules "$TESTS/../dist/rules.example.ini" --spool "$TMP/ex.sqlite" \
    "$TMP/empty.csv" >/dev/null 2>"$TMP/err"
expect "dist/rules.example.ini is a good rule file" [ $? -eq 0 ]
finish
