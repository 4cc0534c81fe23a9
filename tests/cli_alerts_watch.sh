#!/usr/bin/env bash
# Alerts from a live feed: watch --advise, its rules changed under SIGHUP to select Korea's
# scramble advice and intercepts too, fed by the simulator on a loopback port; SIGTERM
# flushes (the sink has every selected alert when watch exits). Also replay --advise, and
# --friendly.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1
R="$FIXTURES/alerts_advice.ini"
"$AW" simulate builtin:2022-11-30 --format csv --out "$TMP/day2.csv" --aircraft-db "$TMP/db.csv" 2>/dev/null

# replay --advise: the advice for KR is selected along with the zone events.
"$AW" replay --zones "$ZONES" --advise --aircraft-db "$TMP/db.csv" --rules "$R" \
    --output "file:$TMP/r.jsonl" --spool "$TMP/r.sqlite" "$TMP/day2.csv" >"$TMP/r.events" 2>"$TMP/err"
expect "replay --advise with alerts exits 0" [ $? -eq 0 ]
$PY "$TESTS/alerts_check.py" expected "$TMP/r.events" "$TMP/zones.geojson" KR >"$TMP/expected.jsonl"
expect "the day has advice for KR" grep -q scramble_advice "$TMP/expected.jsonl"
check_alerts "replay: zone events and KR's advice" "$TMP/r.jsonl"

# --friendly CN: no alert about a Chinese aircraft, and only those are missing.
"$AW" replay --zones "$ZONES" --advise --aircraft-db "$TMP/db.csv" --rules "$R" --friendly CN \
    --output "file:$TMP/f.jsonl" --spool "$TMP/f.sqlite" "$TMP/day2.csv" >/dev/null 2>&1
expect "--friendly CN: no alert about a Chinese aircraft" [ "$(grep -c '"nation":"CN"' "$TMP/f.jsonl")" -eq 0 ]
expect "and the others are all there" [ "$(grep -vc '"nation":"CN"' "$TMP/r.jsonl")" -eq "$(wc -l <"$TMP/f.jsonl")" ]
expect "there were Chinese aircraft to drop" [ "$(grep -c '"nation":"CN"' "$TMP/r.jsonl")" -gt 0 ]

# watch, first connected to a feed that stays silent while the rules are changed under
# SIGHUP (a bad file is refused and the rules in force kept; a good one is taken), then fed
# live by the simulator; SIGTERM once the feed is done.
port=$(free_port)
cp "$RULES" "$TMP/live.ini"
$PY -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); c, _ = s.accept(); s.close(); time.sleep(60)' "$port" & holder=$!
sleep 0.3
mport=$(free_port)
"$AW" watch --connect "127.0.0.1:$port" --zones "$ZONES" --advise --aircraft-db "$TMP/db.csv" \
    --rules "$TMP/live.ini" --output "file:$TMP/w.jsonl" --db "$TMP/w.db" --metrics "127.0.0.1:$mport" \
    >"$TMP/w.events" 2>"$TMP/werr" & w=$!
wait_for "grep -q 'connected to' $TMP/werr"
wait_for "curl -s http://127.0.0.1:$mport/metrics >$TMP/m1 && grep -q '^adizwatch_feed_connected 1' $TMP/m1" 600
expect_grep "/metrics: the feed is connected" '^adizwatch_feed_connected 1$' "$TMP/m1"
expect_grep "/metrics: per sink" "^adizwatch_alerts_queued{sink=\"file:$TMP/w.jsonl\"} 0$" "$TMP/m1"
expect "/metrics: other paths are 404" [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/")" = 404 ]
printf '[rule x]\nevents = landed\n' >"$TMP/live.ini"
kill -HUP $w
wait_for "grep -q 'keeping the rules in force' $TMP/werr"
expect_grep "SIGHUP with a bad file keeps the rules, saying why" "live.ini:2: unknown event type 'landed'" "$TMP/werr"
cp "$R" "$TMP/live.ini"
kill -HUP $w
wait_for "grep -q 'rules read again' $TMP/werr"
expect_grep "SIGHUP with a good file takes it" 'rules read again' "$TMP/werr"
kill $holder; wait $holder 2>/dev/null
"$AW" simulate builtin:2022-11-30 --format csv --listen "$port" --speed 10000 2>/dev/null & sim=$!
wait_for "[ \$(grep -c 'feed closed' $TMP/werr) -ge 2 ]" 600
wait_for "curl -s http://127.0.0.1:$mport/metrics >$TMP/m2 && grep -q '^adizwatch_feed_connected 0' $TMP/m2" 600
expect_grep "/metrics: the feed is gone" '^adizwatch_feed_connected 0$' "$TMP/m2"
expect_grep "/metrics: the newest report's age" '^adizwatch_newest_report_age_seconds [0-9]' "$TMP/m2"
kill -TERM $w; wait $w # at once: what is not yet committed or sent is flushed on the way out
expect "watch exits 0 on SIGTERM" [ $? -eq 0 ]
# (stdout holds an event until the store committed it, so count once watch is done; the
# feed was over when the metrics were read, so no entry came after)
expect_grep "/metrics: entries by type, as printed" "^adizwatch_events_by_type_total{type=\"enter\"} $(grep -c '"type":"enter"' "$TMP/w.events")$" "$TMP/m2"
kill $sim 2>/dev/null; wait $sim 2>/dev/null
$PY "$TESTS/alerts_check.py" expected "$TMP/w.events" "$TMP/zones.geojson" KR >"$TMP/expected.jsonl"
expect "the live feed gave events" [ "$(wc -l <"$TMP/expected.jsonl")" -gt 50 ]
check_alerts "watch: every alert the new rules select delivered by the time it stopped" "$TMP/w.jsonl"
expect "the outbox is empty" [ "$(sqlite3 "$TMP/w.db" 'SELECT count(*) FROM outbox')" -eq 0 ]
finish
