#!/usr/bin/env bash
# Alerts to webhooks, through a real HTTP receiver on loopback that fails the first
# requests with 500: every selected alert arrives, with its headers, in the alert and
# Slack bodies; a receiver down at the start leaves the alerts queued (exit 3) while a
# file sink beside it gets them all, and `deliver` sends them once it is up; a receiver
# up a few seconds late gets them within the run; adizwatch killed with SIGKILL
# mid-delivery loses nothing: the next run sends the rest.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1
port=$(free_port)
R="$TMP/rules.ini"
{ cat "$RULES"; printf '\n[output hook]\nurl = http://127.0.0.1:%s/hook\nheader = Authorization: Bearer t0ken\nretry_max_s = 1\n' "$port"
  printf '\n[output chat]\nurl = http://127.0.0.1:%s/slack\ntemplate = slack\nretry_max_s = 1\n' "$port"; } >"$R"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
receiver() { $PY "$TESTS/alert_receiver.py" "$port" "$1" "${2:-0}" "${3:-0}" & pids+=($!); wait_for "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $port))' 2>/dev/null"; }

# 1. A receiver failing the first 3 requests with 500.
receiver "$TMP/r1" 3
"$AW" replay --zones "$ZONES" --rules "$R" --spool "$TMP/1.sqlite" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay exits 0 once delivered" [ $? -eq 0 ]
check_alerts "webhook got the selected alerts" "$TMP/r1.hook"
expect_grep "the 500s were retried" 'HTTP 500; retrying' "$TMP/err"
expect "the chat body is Slack's {\"text\": ...}, one per alert" [ "$($PY -c '
import json, sys
t = [json.loads(l)["text"] for l in open(sys.argv[1])]
print(len(set(t)) if all("[alert " in x for x in t) else -1)' "$TMP/r1.slack")" -eq "$NEXPECTED" ]
expect "the hook's requests carried the token" [ "$(grep -c '^/hook Bearer t0ken$' "$TMP/r1.auth")" -eq "$(grep -c '^/hook' "$TMP/r1.auth")" ]
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null

# 2. The receiver down at the start: replay gives up after --deliver-timeout with exit 3;
# the file sink beside it is not held up; `deliver` sends the rest once it is up.
"$AW" replay --zones "$ZONES" --rules "$R" --db "$TMP/2.db" --output "file:$TMP/2.file" \
    --deliver-timeout 8 "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay with a dead sink exits 3" [ $? -eq 3 ]
expect_grep "saying how many are still queued" "$((2 * NEXPECTED)) still queued in $TMP/2.db" "$TMP/err"
check_alerts "a dead webhook does not hold up the file sink" "$TMP/2.file"
receiver "$TMP/r2" 2
"$AW" deliver --db "$TMP/2.db" --rules "$R" 2>"$TMP/err"
expect "deliver exits 0" [ $? -eq 0 ]
check_alerts "deliver sent what was queued, same ids" "$TMP/r2.hook" "$TMP/2.file"
expect "the outbox is empty" [ "$(sqlite3 "$TMP/2.db" 'SELECT count(*) FROM outbox')" -eq 0 ]
"$AW" deliver --db "$TMP/2.db" 2>"$TMP/err"
expect_grep "a second deliver has nothing to send" 'nothing queued' "$TMP/err"
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null

# 2b. Down at the start and up a few seconds later, within the same run's wait.
"$AW" replay --zones "$ZONES" --rules "$R" --spool "$TMP/2b.sqlite" --deliver-timeout 60 \
    "$TMP/day.csv" >/dev/null 2>"$TMP/err2b" &
aw=$!
wait_for "grep -q 'retrying with backoff' $TMP/err2b"
expect_grep "the first attempts failed" 'retrying with backoff' "$TMP/err2b"
receiver "$TMP/r2b"
wait $aw
expect "replay exits 0 once the late receiver took everything" [ $? -eq 0 ]
check_alerts "a receiver up late got the selected alerts" "$TMP/r2b.hook" "$TMP/2.file"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null

# 3. SIGKILL in the middle of a slow delivery (50 ms per alert), then the next run.
receiver "$TMP/r3" 0 0.05
"$AW" replay --zones "$ZONES" --rules "$R" --db "$TMP/3.db" "$TMP/day.csv" >/dev/null 2>"$TMP/err" &
aw=$!
wait_for "[ -f $TMP/r3.hook ] && [ \$(wc -l <$TMP/r3.hook) -ge 20 ]"
kill -KILL $aw; wait $aw 2>/dev/null
got=$(wc -l <"$TMP/r3.hook")
expect "killed in the middle ($got of $NEXPECTED delivered)" [ "$got" -lt "$NEXPECTED" ]
expect "the store survived" [ "$(sqlite3 "$TMP/3.db" 'PRAGMA integrity_check')" = ok ]
"$AW" replay --zones "$ZONES" --rules "$R" --db "$TMP/3.db" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "the same replay run again exits 0" [ $? -eq 0 ]
check_alerts "after SIGKILL and the next run every alert arrived" "$TMP/r3.hook" "$TMP/r1.hook"
expect "the outbox is empty" [ "$(sqlite3 "$TMP/3.db" 'SELECT count(*) FROM outbox')" -eq 0 ]
finish
