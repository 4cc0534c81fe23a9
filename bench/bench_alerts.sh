#!/usr/bin/env bash
# bench_alerts.sh ADIZWATCH [ALERTS] -- alerts per second through the MQTT and webhook
# sinks as a ratio to the file: sink, in the same run, and the outbox's memory with a sink
# down for a million alerts. Run by scripts/bench (by hand, never by the tests).
#
# The input makes every report a crossing: tracks shuttle across a square ADIZ, so each
# report gives one zone event, and without rules every event is an alert. Each run is a
# whole `replay` that waits for every acknowledgement (--deliver-timeout), so a rate is
# alerts / (engine + outbox + delivery) time; the engine's share is the same in every run.
# The receivers are mosquitto with a QoS 1 mosquitto_sub, and the tests' Python webhook
# receiver (threaded; it limits the webhook figure as much as adizwatch does).
set -euo pipefail
AW="$1"
N=${2:-100000}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
Z="$ROOT/tests/fixtures/zones_basic.geojson"
PY=/usr/bin/python3
TMP=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; rm -rf "$TMP"' EXIT
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# gen ALERTS FILE: tracks crossing the square (lon 0..1) back and forth, a report a minute.
gen() { $PY - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1]); tracks = max(1, n // 50); steps = (n + tracks - 1) // tracks
print("time,id,lat,lon,alt_ft")
t0 = 1700000000
for s in range(steps + 1):
    lon = -0.5 if s % 2 == 0 else 0.5
    for k in range(tracks):
        print("%d,%06x,%.4f,%.1f,30000" % (t0 + 60 * s, 0x100000 + k, (k % 900) / 1000.0 - 0.45, lon))
PY
}
gen "$N" "$TMP/in.csv"

# run NAME URL: seconds for the whole replay, every alert acknowledged.
run() {
    local t0 t1
    t0=$(date +%s.%N)
    "$AW" replay --zones "$Z" --output "$2" --spool "$TMP/$1.sqlite" --deliver-timeout 3600 \
        "$TMP/in.csv" >/dev/null 2>"$TMP/$1.err" || { echo "$1: replay failed"; cat "$TMP/$1.err"; exit 1; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
alerts() { sqlite3 "$TMP/$1.sqlite" 'SELECT count(*) FROM alerts'; }

mport=$(free_port); hport=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$mport" >"$TMP/mq.conf"
/usr/sbin/mosquitto -c "$TMP/mq.conf" 2>/dev/null & pids+=($!)
sleep 0.5
mosquitto_sub -p "$mport" -t bench -q 1 >"$TMP/mqtt.got" & pids+=($!)
$PY "$ROOT/tests/alert_receiver.py" "$hport" "$TMP/http" & pids+=($!)
sleep 0.5

tf=$(run file "file:$TMP/file.jsonl"); n=$(alerts file)
tm=$(run mqtt "mqtt://127.0.0.1:$mport/bench")
th=$(run http "http://127.0.0.1:$hport/hook")
printf '%-8s %8s %10s %12s %10s\n' sink alerts seconds alerts/s "vs file"
for s in file:$tf mqtt:$tm http:$th; do
    name=${s%%:*}; t=${s#*:}
    printf '%-8s %8d %10.2f %12.0f %10.3f\n' "$name" "$n" "$t" "$(echo "$n / $t" | bc -l)" "$(echo "$tf / $t" | bc -l)"
done
echo "(received: mqtt $(wc -l <"$TMP/mqtt.got"), webhook $(wc -l <"$TMP/http.hook"))"

# Memory: a million alerts queued for a sink that is down, against the same replay
# without alerts; the difference is what the outbox holds in memory.
M=${3:-1000000}
gen "$M" "$TMP/big.csv"
rss() { /usr/bin/time -f %M "$@" >/dev/null 2>"$TMP/time.err"; tail -1 "$TMP/time.err"; }
base=$(rss "$AW" replay --zones "$Z" "$TMP/big.csv")
down=$(rss "$AW" replay --zones "$Z" --output "mqtt://127.0.0.1:1/down" --spool "$TMP/down.sqlite" \
    --deliver-timeout 0 "$TMP/big.csv" || true)
echo "outbox with the sink down: $(sqlite3 "$TMP/down.sqlite" 'SELECT count(*) FROM outbox') alerts queued on disk" \
     "($(du -m "$TMP/down.sqlite" | cut -f1) MB); peak RSS ${down} KB against ${base} KB without alerts"
