#!/usr/bin/env bash
# Alerts over MQTT through a real mosquitto on a loopback port, received by mosquitto_sub
# (a persistent QoS 1 session): every selected alert arrives; with the broker down at the
# start the replay exits 3 and `deliver` sends the alerts once it is back; the broker
# stopped and restarted in the middle of a paced replay loses nothing.
source "$(dirname "$0")/testlib.sh"
# scripts/setup.sh installs them: without them the test fails, it is not skipped.
require "mosquitto" eval 'command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ]'
require "mosquitto_sub (mosquitto-clients)" command -v mosquitto_sub
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1
port=$(free_port)
URL="mqtt://127.0.0.1:$port/adiz/alerts"
mkdir -p "$TMP/mq"
cat >"$TMP/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
# the subscriber's session must survive the broker's restart; as root mosquitto would
# switch to a user that cannot write here
persistence true
persistence_location $TMP/mq/
autosave_interval 1
user $(id -un)
CONF
broker=""; sub=""
cleanup() { for p in $broker $sub; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
up() { "$MOSQUITTO" -c "$TMP/mosquitto.conf" 2>>"$TMP/broker.log" & broker=$!
       wait_for "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $port))' 2>/dev/null"; }
# down: SIGTERM. Our promise ends at the PUBACK; mosquitto keeps a message it acked for
# an offline subscriber only in memory until its next autosave, so a SIGKILL could lose
# it on the broker's side, and the test would measure mosquitto, not adizwatch.
down() { kill -TERM "$broker"; wait "$broker" 2>/dev/null; broker=""; }
# subscribe NAME: a persistent session (-c, fixed id) at QoS 1 on adiz/# -- it reconnects
# by itself -- writing "TOPIC PAYLOAD" lines to NAME.raw; it is subscribed once a probe
# on adiz/probe comes back. received NAME: the alerts' lines of NAME.raw into NAME.
subscribe() { mosquitto_sub -h 127.0.0.1 -p "$port" -t 'adiz/#' -F '%t %p' -q 1 -c -i "aw-test-$1" \
                  >>"$TMP/$1.raw" 2>/dev/null & sub=$!
              wait_for "mosquitto_pub -h 127.0.0.1 -p $port -t adiz/probe -m x -q 1 2>/dev/null; grep -q '^adiz/probe' '$TMP/$1.raw'" 600 ||
                  fail "$1: the subscriber never subscribed"; }
received() { grep '^adiz/alerts ' "$TMP/$1.raw" | cut -d' ' -f2- >"$TMP/$1"; wc -l <"$TMP/$1"; }
unsubscribe() { kill "$sub"; wait "$sub" 2>/dev/null; sub=""; }

# 1. Broker and subscriber up.
up; subscribe s1
"$AW" replay --zones "$ZONES" --rules "$RULES" --output "$URL" --spool "$TMP/1.sqlite" "$TMP/day.csv" \
    >/dev/null 2>"$TMP/err"
expect "replay exits 0 once every PUBACK is in" [ $? -eq 0 ]
wait_for "[ \$(received s1) -ge $NEXPECTED ]" 600
check_alerts "the subscriber got the selected alerts" "$TMP/s1"
unsubscribe

# 2. The broker down at the start (the subscriber's session kept by the broker).
subscribe s2; down
"$AW" replay --zones "$ZONES" --rules "$RULES" --output "$URL" --db "$TMP/2.db" --deliver-timeout 2 \
    "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay with the broker down exits 3" [ $? -eq 3 ]
expect_grep "saying how many are still queued" "$NEXPECTED still queued" "$TMP/err"
up
"$AW" deliver --db "$TMP/2.db" 2>"$TMP/err"
expect "deliver exits 0 once the broker is back" [ $? -eq 0 ]
wait_for "[ \$(received s2) -ge $NEXPECTED ]" 600
check_alerts "the queued alerts arrived, same ids" "$TMP/s2" "$TMP/s1"
unsubscribe

# 3. The broker stopped and restarted while a paced replay (about 6 s) is delivering.
subscribe s3
slow_feed "$TMP/day.csv" 2500 | "$AW" replay --zones "$ZONES" --rules "$RULES" --output "$URL" \
    --db "$TMP/3.db" - >/dev/null 2>"$TMP/err3" &
aw=$!
wait_for "[ \$(received s3) -ge 1 ]" 600
down; sleep 1; up
wait $aw
expect "replay exits 0 after the broker came back" [ $? -eq 0 ]
expect_grep "it saw the broker go" 'retrying with backoff' "$TMP/err3"
wait_for "[ \$(received s3) -ge $NEXPECTED ]" 600
check_alerts "the broker's restart lost no alert" "$TMP/s3" "$TMP/s1"
finish
