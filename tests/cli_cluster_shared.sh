# cli_cluster_shared.sh -- a reference case of ../shared/data/cases through the NATS
# JetStream scale-out: two workers, one killed with SIGKILL once events are out and
# started again, resuming from its engine checkpoints; the events read back equal
# `adizwatch replay` of the same input.
source "$(dirname "$0")/testlib.sh"
CASE="${SHARED:-$TESTS/../../shared}/data/cases/kansai1"
need_shared "$CASE/tracks.csv" "$CASE/zones.geojson"
ZONES="$CASE/zones.geojson"
source "$TESTS/cluster_lib.sh"
start_server
"$AW" replay --zones "$ZONES" "$CASE/tracks.csv" >"$TMP/replay.jsonl" 2>/dev/null
expected=$(wc -l <"$TMP/replay.jsonl")
expect "replay of the case makes events ($expected)" test "$expected" -gt 0
"$AW" publish --nats "$URL" --partitions 4 "$CASE/tracks.csv" 2>"$TMP/pub.err"
expect "publish the case" test $? -eq 0
WORKER_ARGS="--checkpoint-every 100 --checkpoint-interval 0"
start_worker w1
start_worker w2
count_events() { "$AW" events --nats "$URL" 2>/dev/null | wc -l; }
w1_checkpointed() { [ "$(count_events)" -gt 0 ] && grep -q "checkpoint at" "$TMP/w1.err"; }
wait_until 60 w1_checkpointed
kill -9 "$PID_w1"
sleep 1
start_worker w1
for _ in $(seq 180); do [ "$(count_events)" -ge "$expected" ] && break; sleep 1; done
sleep 3
"$AW" events --nats "$URL" >"$TMP/cluster.jsonl" 2>/dev/null
expect "the cluster's events equal replay's (set, order per track and zone, no duplicate)" \
    $PY "$TESTS/cluster_check.py" "$TMP/replay.jsonl" "$TMP/cluster.jsonl"
grep -h "restored checkpoint" "$TMP"/w*.err | sed 's/^/  /'
expect "the restarted w1 resumed from its checkpoints" \
    grep -q "restored checkpoint at stream sequence [1-9]" "$TMP/w1.err"
finish
