#!/usr/bin/env bash
# serve with --rules and --output: the simulated day replayed at full speed; the file sink
# receives exactly the alerts the rules select (worked out apart by tests/alerts_check.py),
# /api/events flags alert:true exactly those events, and GET /metrics answers the
# Prometheus text with the counts (Host checked as for every GET).
source "$(dirname "$0")/testlib.sh"
require "curl (scripts/setup.sh installs it)" command -v curl
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1

pid=""
trap '[ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$TMP"' EXIT
"$AW" serve --zones "$ZONES" --replay "$TMP/day.csv" --speed 100000 --http 127.0.0.1:0 \
    --rules "$RULES" --output "file:$TMP/a.jsonl" --spool "$TMP/spool.sqlite" \
    >"$TMP/out.jsonl" 2>"$TMP/err" &
pid=$!
port=""
wait_for 'port=$(grep -o "http://127.0.0.1:[0-9]*/" "$TMP/err" | head -1 | sed "s|.*:\([0-9]*\)/|\1|"); [ -n "$port" ]' 600 ||
    { fail "serve did not start"; cat "$TMP/err"; finish; }
B="http://127.0.0.1:$port"
done_() { curl -s "$B/api/stats" | $PY -c 'import json,sys; sys.exit(json.load(sys.stdin)["feed"]["state"] != "done")'; }
expect "the replay ends" wait_for done_ 1200
# The events as this serve made them: they are replay's unless the machine is so loaded
# that the feed falls behind the replay clock, and a track silent past --timeout on that
# clock is lost (an exit, then a first_seen entry), as on a live feed. The alerts must be
# the rules' selection of the events served. ("done" is said once every event is out.)
if ! cmp -s "$TMP/out.jsonl" "$TMP/events.jsonl"; then
    echo "note: serve's events differ from replay's ($(wc -l <"$TMP/out.jsonl") against $(wc -l <"$TMP/events.jsonl")): the feed fell behind"
    cp "$TMP/out.jsonl" "$TMP/events.jsonl"
    $PY "$TESTS/alerts_check.py" expected "$TMP/events.jsonl" "$TMP/zones.geojson" >"$TMP/expected.jsonl"
    NEXPECTED=$(wc -l <"$TMP/expected.jsonl")
fi
expect "the file sink gets every selected alert" wait_for '[ "$(cat "$TMP/a.jsonl" 2>/dev/null | wc -l)" -ge "$NEXPECTED" ]' 600
check_alerts "serve's file sink got the selected events" "$TMP/a.jsonl"
expect "each once" [ "$(wc -l <"$TMP/a.jsonl")" -eq "$NEXPECTED" ]

# The alert flag: exactly the expected events, among all the events served.
curl -s "$B/api/events?limit=10000" >"$TMP/api.json"
if $PY - "$TMP/api.json" "$TMP/expected.jsonl" "$TMP/events.jsonl" >"$TMP/flag.out" 2>&1 <<'PY'
import json, sys
evs = json.load(open(sys.argv[1]))
evs = evs["events"] if isinstance(evs, dict) else evs
key = lambda e: [e["type"], e["track"], e["zone"], e["time"]]
flagged = sorted(key(e) for e in evs if e.get("alert") is True)
want = sorted(json.loads(l) for l in open(sys.argv[2]))
total = sum(1 for _ in open(sys.argv[3]))
assert len(evs) == total, "served %d events, replay printed %d" % (len(evs), total)
assert flagged == want, "flagged %d, expected %d" % (len(flagged), len(want))
assert len(want) < total, "the rules select a subset"
print("%d of %d events flagged, as the rules select" % (len(flagged), total))
PY
then ok "alert:true exactly for the selected events: $(cat "$TMP/flag.out")"; else fail "alert flags"; cat "$TMP/flag.out"; fi

# /metrics: the counters, on serve's own port.
curl -s -o "$TMP/metrics" -w '%{http_code} %{content_type}' "$B/metrics" >"$TMP/status"
expect_grep "GET /metrics answers 200 as Prometheus text" '^200 text/plain; version=0.0.4' "$TMP/status"
metric() { grep -E "^$1 " "$TMP/metrics" | awk '{print $2}'; }
NEVENTS=$(wc -l <"$TMP/events.jsonl")
NLINES=$(wc -l <"$TMP/day.csv")
expect "lines read: $NLINES" [ "$(metric adizwatch_lines_total)" = "$NLINES" ]
expect "no bad lines" [ "$(metric adizwatch_bad_lines_total)" = 0 ]
expect "events: $NEVENTS" [ "$(metric adizwatch_events_total)" = "$NEVENTS" ]
NENTER=$(grep -c '"type":"enter"' "$TMP/events.jsonl")
expect "enter events by type: $NENTER" [ "$(metric 'adizwatch_events_by_type_total\{type="enter"\}')" = "$NENTER" ]
expect "alerts selected: $NEXPECTED" [ "$(metric adizwatch_alerts_selected_total)" = "$NEXPECTED" ]
expect "sent to the file sink: $NEXPECTED" wait_for \
    'curl -s -o "$TMP/metrics" "$B/metrics"; [ "$(metric "adizwatch_alerts_sent_total\{sink=\"file:$TMP/a.jsonl\"\}")" = "$NEXPECTED" ]' 600
expect "none queued" [ "$(metric "adizwatch_alerts_queued\{sink=\"file:$TMP/a.jsonl\"\}")" = 0 ]
expect "no failures" [ "$(metric "adizwatch_alert_failures_total\{sink=\"file:$TMP/a.jsonl\"\}")" = 0 ]
expect_grep "feed state (done: not up)" '^adizwatch_feed_connected 0$' "$TMP/metrics"
expect_grep "age of the newest report" '^adizwatch_newest_report_age_seconds [0-9]' "$TMP/metrics"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$B/metrics")
expect "a foreign Host is refused on /metrics ($code)" [ "$code" = 421 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$B/metrics")
expect "/metrics is read-only ($code)" [ "$code" = 405 ]

kill -TERM "$pid"; wait "$pid"; rc=$?; pid=""
expect "serve stops with status 0 ($rc)" [ "$rc" -eq 0 ]
expect_grep "and says what it delivered" "alerts: .* $NEXPECTED selected as alerts" "$TMP/err"

# serve --advise: scramble advice and intercepts go to the rules too, and so do patrol
# events (a recording's, all of them at its end); the sink gets exactly the selection
# (zone events, Korea's advice, landings abroad and groups, worked out apart); the advice
# panel's alert flags are the rules'; SIGHUP reads the rules again (a bad file is kept out).
"$AW" simulate builtin:2022-11-30 --format csv --out "$TMP/day2.csv" --aircraft-db "$TMP/db.csv" 2>/dev/null
"$AW" replay --zones "$ZONES" --advise --aircraft-db "$TMP/db.csv" --db "$TMP/trails.db" \
    "$TMP/day2.csv" >"$TMP/r.events" 2>/dev/null
"$AW" patrol --db "$TMP/trails.db" --aircraft-db "$TMP/db.csv" >"$TMP/patrol.jsonl" 2>/dev/null
$PY "$TESTS/alerts_check.py" expected "$TMP/r.events" "$TMP/zones.geojson" KR >"$TMP/expected.jsonl"
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" >>"$TMP/expected.jsonl"
expect "the day has advice for Korea and patrol events" \
    eval 'grep -q scramble_advice "$TMP/expected.jsonl" && grep -q "\"group\"" "$TMP/expected.jsonl"'
{ cat "$FIXTURES/alerts_advice.ini"; printf '\n[rule landed abroad]\nevents = landing_abroad\n\n[rule groups]\nevents = group\n'; } >"$TMP/sa.ini"
cp "$TMP/sa.ini" "$TMP/live.ini"
"$AW" serve --zones "$ZONES" --replay "$TMP/day2.csv" --speed 100000 --http 127.0.0.1:0 \
    --advise --aircraft-db "$TMP/db.csv" --rules "$TMP/live.ini" --output "file:$TMP/s.jsonl" \
    --spool "$TMP/s.sqlite" >"$TMP/s.events" 2>"$TMP/err" &
pid=$!
port=""
wait_for 'port=$(grep -o "http://127.0.0.1:[0-9]*/" "$TMP/err" | head -1 | sed "s|.*:\([0-9]*\)/|\1|"); [ -n "$port" ]' 600 ||
    { fail "serve --advise did not start"; cat "$TMP/err"; finish; }
B="http://127.0.0.1:$port"
expect "the replay ends" wait_for done_ 1200
# the zone events and advice as this serve printed them (the advisor slows the feed
# thread, and at this speed the replay clock may declare a track lost before its next
# report: its first_seen entry is an event like any other; all out once "done" is said)
$PY "$TESTS/alerts_check.py" expected "$TMP/s.events" "$TMP/zones.geojson" KR >"$TMP/expected.jsonl"
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" >>"$TMP/expected.jsonl"
NEXPECTED=$(wc -l <"$TMP/expected.jsonl")
wait_for "$PY $TESTS/alerts_check.py live $TMP/expected.jsonl $TMP/s.jsonl $TMP/patrol.jsonl >/dev/null 2>&1" 600
check_live "serve --advise: zone events, Korea's advice, landings abroad, groups" "$TMP/s.jsonl" "$TMP/patrol.jsonl"
curl -s -o "$TMP/metrics" "$B/metrics"
NPATROL=$(grep -c '^\["\(group\|landing\)"' "$TMP/expected.jsonl")
expect "/metrics: patrol events given to the rules, at least the $NPATROL selected" \
    [ "$(metric adizwatch_patrol_events_total)" -ge "$NPATROL" ]
curl -s "$B/api/advice" >"$TMP/advice.json"
if $PY - "$TMP/advice.json" "$TMP/expected.jsonl" >"$TMP/aflag.out" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
key = lambda e: [e["type"], e["track"], e.get("zone", ""), e["time"]]
want = sorted(k for k in (json.loads(l) for l in open(sys.argv[2])) if k[0] in ("scramble_advice", "intercept"))
flagged = sorted(key(e) for e in a["events"] if e.get("alert") is True)
assert all("alert" in e for e in a["events"]), "an advice without its flag"
assert a["count"] == len(a["events"]), "more advice than the panel keeps"
assert flagged == want, "flagged %d, the rules select %d" % (len(flagged), len(want))
assert len(flagged) < len(a["events"]), "the rules select a subset"
print("%d of %d flagged" % (len(flagged), len(a["events"])))
PY
then ok "/api/advice: alert:true exactly for the advice the rules select: $(cat "$TMP/aflag.out")"; else fail "advice flags"; cat "$TMP/aflag.out"; fi
printf '[rule x]\nevents = landed\n' >"$TMP/live.ini"
kill -HUP "$pid"
expect "SIGHUP with a bad file keeps the rules, saying why" \
    wait_for "grep -q \"live.ini:2: unknown event type 'landed'.*keeping the rules in force\" $TMP/err" 600
cp "$TMP/sa.ini" "$TMP/live.ini"
kill -HUP "$pid"
expect "SIGHUP with a good file takes it" wait_for "grep -q 'rules read again' $TMP/err" 600
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=""
expect "serve --advise stops with status 0 ($rc)" [ "$rc" -eq 0 ]

# A bad rule file: exit 2 with its line, before anything listens.
printf '[rule a]\nevents = enter\nmilitary = perhaps\n' >"$TMP/bad.ini"
timeout 20 "$AW" serve --zones "$ZONES" --replay "$TMP/day.csv" --http 127.0.0.1:0 \
    --rules "$TMP/bad.ini" --output "file:$TMP/never.jsonl" 2>"$TMP/err2"
expect "serve refuses a bad rule file with status 2" [ $? -eq 2 ]
expect_grep "with its line" 'bad.ini:3: ' "$TMP/err2"
expect_no_grep "before it listens" 'http://' "$TMP/err2"
finish
