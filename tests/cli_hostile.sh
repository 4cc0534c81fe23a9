#!/usr/bin/env bash
# watch against a hostile feed (tests/hostile_feed.py on loopback): connections that
# close at once, close mid-line, reset, stall, dribble one byte per send, send garbage and
# a 10 MB line. watch must reconnect each time with a backoff that doubles while the feed
# gives nothing and falls back to 1 s once it gives data; give up on a stalled connection
# after --idle-timeout; count and report every dropped line with its number; keep its
# memory bounded across the 10 MB line; and emit exactly the events `replay` gives for the
# well-formed lines alone.
source "$(dirname "$0")/testlib.sh"
GEN="$(dirname "$AW")/bench/gen_tracks"
require "$GEN (the benchmark's track generator, built with the suite)" [ -x "$GEN" ]
Z=builtin:east-asia
IDLE=2
# The line buffer may grow to 1 MB; under ASan reallocations sit in its quarantine and
# have shadow memory. Either bound is well under what keeping the 10 MB line would take.
GROWTH_KB=4096
[ "${ADIZWATCH_SANITIZE:-OFF}" = ON ] && GROWTH_KB=8192

"$AW" watch --connect 127.0.0.1:9 --zones "$Z" --idle-timeout -1 2>"$TMP/usage.err"
expect "a negative --idle-timeout is bad usage" [ $? -eq 2 ]
expect_grep "and says what it wants" "idle-timeout wants seconds" "$TMP/usage.err"

# hostile FMT: the whole plan with SBS or CSV lines (see tests/hostile_feed.py), and
# every check, each named "FMT: ...".
hostile() {
    local F=$1 D="$TMP/$1"
    mkdir -p "$D"
    "$GEN" 40 2400 "$F" >"$D/good"
    "$AW" replay --zones "$Z" "$D/good" >"$D/expected.jsonl" 2>"$D/replay.err"
    expect "$F: the well-formed lines call for events" [ "$(wc -l <"$D/expected.jsonl")" -ge 20 ]

    local port server_pid watch_pid rc hwm_end
    port=$(free_port)
    $PY "$TESTS/hostile_feed.py" "$port" "$D/good" "$D/log.jsonl" "$D/watch.pid" "$IDLE" "$F" &
    server_pid=$!
    wait_until 60 grep -q listening "$D/log.jsonl" 2>/dev/null # until the server listens
    "$AW" watch --connect "127.0.0.1:$port" --zones "$Z" --idle-timeout "$IDLE" \
        >"$D/out.jsonl" 2>"$D/err" &
    watch_pid=$!
    echo "$watch_pid" >"$D/watch.pid"

    # Up to 90 s for the whole plan; then a moment for the last lines to be processed.
    for _ in $(seq 1 450); do
        grep -q '"done"' "$D/log.jsonl" 2>/dev/null && break
        kill -0 "$watch_pid" 2>/dev/null || break
        sleep 0.2
    done
    sleep 1
    hwm_end=$(awk '/^VmHWM:/ {print $2}' "/proc/$watch_pid/status" 2>/dev/null)
    kill -TERM "$watch_pid"
    wait "$watch_pid"
    rc=$?
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null

    expect "$F: the server got through its plan" grep -q '"done"' "$D/log.jsonl"
    expect "$F: watch exits 0 on SIGTERM" [ $rc -eq 0 ]

    # Everything below is checked by one Python program reading the server's log and
    # watch's stderr; each check prints ok/FAIL like expect does.
    $PY "$TESTS/hostile_check.py" "$D/log.jsonl" "$D/err" "$port" "$IDLE" "${hwm_end:-0}" "$GROWTH_KB" "$F" >"$D/checks"
    cat "$D/checks"
    checks=$((checks + $(grep -c '^ok: \|^FAIL: ' "$D/checks")))
    failures=$((failures + $(grep -c '^FAIL: ' "$D/checks")))

    sort "$D/out.jsonl" >"$D/out.sorted"
    sort "$D/expected.jsonl" >"$D/expected.sorted"
    expect "$F: exactly the events replay gives for the well-formed lines ($(wc -l <"$D/expected.jsonl"))" \
        cmp -s "$D/out.sorted" "$D/expected.sorted" || diff "$D/out.sorted" "$D/expected.sorted" | head
    tracks() { grep -o '[0-9]* tracks' "$1" | tail -n 1; }
    expect "$F: the same tracks as replay ($(tracks "$D/replay.err"))" [ "$(tracks "$D/err")" = "$(tracks "$D/replay.err")" ]
    if [ "$failures" -gt 0 ]; then echo "--- $F: watch stderr"; head -c 6000 "$D/err"; fi
}

hostile sbs
hostile csv
finish
