#!/usr/bin/env bash
# watch against a live feed on loopback: waits for a feed that is not up yet, reconnects
# when the feed closes, takes lines split at any byte, and stops cleanly on SIGTERM with
# its events written and committed.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"
port=$(free_port)

"$AW" watch --connect "127.0.0.1:$port" --zones "$Z" --tz +09:00 --db "$TMP/watch.db" \
    >"$TMP/out.jsonl" 2>"$TMP/err" &
watch_pid=$!
# the first connection attempt fails (nothing listens yet): the feed starts only once watch
# says it retries, however long a loaded machine takes to start watch
wait_until 60 grep -q 'retrying in 1 s' "$TMP/err"
$PY "$TESTS/feed_server.py" "$port" "$FIXTURES/tracks_basic.sbs" &
server_pid=$!

# Up to 60 s (backoff: 1 s, then 2 s; a loaded machine) for both events and the feed's
# last (bad) line.
both_seen() { [ "$(wc -l <"$TMP/out.jsonl")" -ge 2 ] && grep -q 'hex ident' "$TMP/err"; }
wait_until 60 both_seen
kill -TERM "$watch_pid"
wait "$watch_pid"
rc=$?
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null

expect "watch exits 0 on SIGTERM" [ $rc -eq 0 ]
expect_grep "retried while the feed was down" 'retrying in 1 s' "$TMP/err"
expect "connected twice (reconnected after the feed closed)" [ "$(grep -c 'connected to' "$TMP/err")" -eq 2 ]
expect_grep "noticed the feed closing" 'feed closed' "$TMP/err"
expect_grep "stopped on the signal" 'stopping on signal' "$TMP/err"
expect_grep "reported the bad lines" 'bad line: hex ident' "$TMP/err"
grep aaa001 "$FIXTURES/tracks_basic.expected.jsonl" >"$TMP/expected.jsonl"
expect "live events match the file's" $PY "$TESTS/match_events.py" "$TMP/out.jsonl" "$TMP/expected.jsonl"
"$AW" events --db "$TMP/watch.db" >"$TMP/stored.jsonl" 2>"$TMP/err"
expect "events committed to the store before exit" cmp -s "$TMP/out.jsonl" "$TMP/stored.jsonl"
finish
