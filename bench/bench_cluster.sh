#!/usr/bin/env bash
# bench_cluster.sh BIN [TRACKS] -- reports per second through the NATS JetStream scale-out
# (docs/scale-out.md): publish, then 1 worker, then 2 workers (each on a fresh stream),
# as ratios to `replay` of the same input in the same run. A real nats-server -js on a
# free loopback port, a temporary store. Times are wall clock, this machine's 2 cores
# shared by server, publisher and workers: compare the ratios, not the numbers.
set -euo pipefail
AW="$1"
TRACKS=${2:-12000}
HERE="$(cd "$(dirname "$0")" && pwd)"
ZONES="$HERE/../tests/fixtures/zones_basic.geojson"
TMP="$(mktemp -d)"
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="nats://127.0.0.1:$PORT"
nats-server -js -a 127.0.0.1 -p "$PORT" -sd "$TMP/store" >"$TMP/nats.log" 2>&1 &
NS=$!
WORKERS=()
finish() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then # say why, from the logs, rather than stop silently
        echo "bench_cluster: failed (status $rc); the logs' ends:" >&2
        tail -n 5 "$TMP"/*.err "$TMP/nats.log" >&2 2>/dev/null
    fi
    kill "${WORKERS[@]}" "$NS" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"
}
trap finish EXIT
sleep 0.5
/usr/bin/python3 "$HERE/../tests/cluster_gen.py" "$TRACKS" "$TMP/in.csv"
reports=$(( $(wc -l <"$TMP/in.csv") - 1 ))
now() { date +%s.%N; }
t0=$(now); "$AW" replay --zones "$ZONES" "$TMP/in.csv" >"$TMP/replay.jsonl" 2>/dev/null; t1=$(now)
replay_s=$(echo "$t1 - $t0" | bc -l)
expected=$(wc -l <"$TMP/replay.jsonl")
run() { # WORKERS PREFIX: publish, then time until the workers have made every event
    local n=$1 prefix=$2
    local a b c
    a=$(now)
    "$AW" publish --nats "$URL" --prefix "$prefix" --partitions 6 "$TMP/in.csv" 2>"$TMP/publish_$prefix.err"
    b=$(now)
    WORKERS=()
    for i in $(seq "$n"); do
        "$AW" worker --nats "$URL" --zones "$ZONES" --prefix "$prefix" --name "b$i" --lease 3 2>"$TMP/worker_${prefix}_$i.err" &
        WORKERS+=($!)
    done
    # polled from the stream's state (a message count), not by reading the events back:
    # that would load the machine the workers are measured on
    while [ "$(/usr/bin/python3 "$HERE/../tests/nats_client.py" count "$PORT" "$prefix" "$prefix.events" 2>/dev/null || echo 0)" -lt "$expected" ]; do
        sleep 0.2
    done
    c=$(now)
    kill "${WORKERS[@]}" 2>/dev/null || true; wait "${WORKERS[@]}" 2>/dev/null || true
    echo "$(echo "$b - $a" | bc -l) $(echo "$c - $b" | bc -l)"
}
read -r pub1 work1 < <(run 1 b1)
read -r pub2 work2 < <(run 2 b2)
rate() { echo "$reports / $1" | bc -l; }
printf "input: %d tracks, %d reports, %d events (tests/cluster_gen.py)\n" "$TRACKS" "$reports" "$expected"
printf "%-28s %10s %12s %8s\n" "" "seconds" "reports/s" "ratio"
line() { printf "%-28s %10.2f %12.0f %8.3f\n" "$1" "$2" "$(rate "$2")" "$(echo "$replay_s / $2" | bc -l)"; }
line "replay (reference)" "$replay_s"
line "publish" "$pub1"
line "1 worker (after publish)" "$work1"
line "2 workers (after publish)" "$work2"
line "publish + 1 worker" "$(echo "$pub1 + $work1" | bc -l)"
line "publish + 2 workers" "$(echo "$pub2 + $work2" | bc -l)"
