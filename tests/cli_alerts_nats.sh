#!/usr/bin/env bash
# Alerts over NATS through a real `nats-server -js` on a loopback port: to a subject a
# JetStream stream takes (JetStream publish, acked by the stream, which then holds each
# alert once), and to a plain subject (core publish, seen by a subscriber); with the
# server down at the start the replay exits 3 and `deliver` sends the alerts once it is
# back; the server killed (SIGKILL) and restarted in the middle of a paced replay loses
# nothing.
source "$(dirname "$0")/testlib.sh"
NATS=$(command -v nats-server || echo /usr/sbin/nats-server)
require "nats-server (scripts/setup.sh installs Debian's)" [ -x "$NATS" ]
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1
port=$(free_port)
server=""; sub=""
cleanup() { for p in $server $sub; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
up() { "$NATS" -js -a 127.0.0.1 -p "$port" -sd "$TMP/js" 2>>"$TMP/server.log" & server=$!
       wait_for "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $port))' 2>/dev/null"; }
# down: SIGKILL -- JetStream has written a message to its file before it acks it, so the
# stream keeps what it acknowledged whatever kills the server.
down() { kill -KILL "$server"; wait "$server" 2>/dev/null; server=""; }
nc() { $PY "$TESTS/nats_client.py" "$@"; }

up
# One stream per part: a stream drops a message id it has seen within two minutes, and
# the parts send the same alerts.
expect "JetStream streams take adiz.>, down.> and mid.>" nc create "$port" ALERTS 'adiz.>'
nc create "$port" DOWN 'down.>' && nc create "$port" MID 'mid.>' || fail "create streams"

# 1. JetStream: every alert acked by the stream.
"$AW" replay --zones "$ZONES" --rules "$RULES" --output "nats://127.0.0.1:$port/adiz.alerts" \
    --spool "$TMP/1.sqlite" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay exits 0 once the stream acked every alert" [ $? -eq 0 ]
nc dump "$port" ALERTS "$TMP/js1"
check_alerts "the stream holds the selected alerts" "$TMP/js1"
expect "each a JetStream publish with the alert id as message id" [ "$(cat "$TMP/js1.msgid")" -eq "$NEXPECTED" ]

# 2. A subject no stream takes: core publish, flushed.
$PY "$TESTS/nats_client.py" sub "$port" core.alerts "$TMP/core" & sub=$!
wait_for "[ -e $TMP/core.ready ]"
"$AW" replay --zones "$ZONES" --rules "$RULES" --output "nats://127.0.0.1:$port/core.alerts" \
    --spool "$TMP/2.sqlite" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay to a core subject exits 0" [ $? -eq 0 ]
wait_for "[ \$(wc -l <$TMP/core) -ge $NEXPECTED ]" 600
check_alerts "the subscriber got the selected alerts" "$TMP/core" "$TMP/js1"
kill $sub; wait $sub 2>/dev/null; sub=""

# 3. The server down at the start; the stream (on disk) is there when it is back.
down
"$AW" replay --zones "$ZONES" --rules "$RULES" --output "nats://127.0.0.1:$port/down.alerts" \
    --db "$TMP/3.db" --deliver-timeout 2 "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay with the server down exits 3" [ $? -eq 3 ]
expect_grep "saying how many are still queued" "$NEXPECTED still queued" "$TMP/err"
up
"$AW" deliver --db "$TMP/3.db" 2>"$TMP/err"
expect "deliver exits 0 once the server is back" [ $? -eq 0 ]
nc dump "$port" DOWN "$TMP/js3"
check_alerts "the queued alerts reached the stream, same ids" "$TMP/js3" "$TMP/js1"

# 4. The server killed and restarted while a paced replay is delivering.
slow_feed "$TMP/day.csv" 2500 | "$AW" replay --zones "$ZONES" --rules "$RULES" \
    --output "nats://127.0.0.1:$port/mid.alerts" --db "$TMP/4.db" - >/dev/null 2>"$TMP/err4" &
aw=$!
wait_for "grep -q . $TMP/4.db 2>/dev/null && [ \$(sqlite3 $TMP/4.db 'SELECT count(*) FROM alerts' 2>/dev/null || echo 0) -ge 10 ]" 600
down; sleep 1; up
wait $aw
expect "replay exits 0 after the server came back" [ $? -eq 0 ]
expect_grep "it saw the server go" 'retrying with backoff' "$TMP/err4"
nc dump "$port" MID "$TMP/js4"
check_alerts "the server's restart lost no alert" "$TMP/js4" "$TMP/js1"
finish
