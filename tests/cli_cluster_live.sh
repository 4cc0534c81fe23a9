# cli_cluster_live.sh -- the NATS JetStream scale-out (docs/scale-out.md) on a server whose
# max_payload (8 KiB) is smaller than a partition's engine state, and on a live feed:
#  - checkpoints are saved in chunks, a worker killed with SIGKILL is taken over from its
#    chunked checkpoint (not from the partition's start), and the events read back equal
#    `adizwatch replay` of the same input exactly;
#  - with --live-clock, a feed that goes quiet gets its lost exits once the wall clock
#    passes the last report + the timeout, and not before;
#  - a checkpoint stream that is not adizwatch's is refused with the reason.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/cluster_lib.sh"
printf 'max_payload: 8192\n' >"$TMP/nats.conf"
NATS_CONF="$TMP/nats.conf"
start_server

# ---- chunked checkpoints, a kill, a takeover from the checkpoint
$PY "$TESTS/cluster_gen.py" 2000 "$TMP/all.csv"
"$AW" replay --zones "$ZONES" "$TMP/all.csv" >"$TMP/replay.jsonl" 2>/dev/null
expected=$(wc -l <"$TMP/replay.jsonl")
"$AW" publish --nats "$URL" --partitions 2 "$TMP/all.csv" 2>"$TMP/pub.err"
expect "publish to a server with max_payload 8192" test $? -eq 0
count_events() { "$AW" events --nats "$URL" 2>/dev/null | wc -l; }
WORKER_ARGS="--checkpoint-every 3000 --checkpoint-interval 0"
start_worker w1
big='checkpoint at stream sequence [0-9]* ([0-9]\{5,\} bytes)'
wait_until 60 grep -q "$big" "$TMP/w1.err"
kill -9 "$PID_w1"
expect "w1 saved a checkpoint larger than max_payload before it was killed" grep -q "$big" "$TMP/w1.err"
grep "checkpoint at" "$TMP/w1.err" | head -3 | sed 's/^/  /'
start_worker w2
for _ in $(seq 360); do [ "$(count_events)" -ge "$expected" ] && break; sleep 0.5; done
sleep 2
"$AW" events --nats "$URL" >"$TMP/cluster.jsonl" 2>/dev/null
expect "the events equal replay's after a takeover from chunked checkpoints" \
    $PY "$TESTS/cluster_check.py" "$TMP/replay.jsonl" "$TMP/cluster.jsonl"
grep "restored checkpoint" "$TMP/w2.err" | sed 's/^/  /'
expect "w2 resumed w1's partitions from their checkpoints" \
    grep -q "restored checkpoint at stream sequence [1-9][0-9]* ([0-9]\{5,\} bytes" "$TMP/w2.err"
resumed=1
for k in $(sed -n 's/.*partition \([0-9]*\): checkpoint at.*/\1/p' "$TMP/w1.err" | sort -u); do
    grep -q "partition $k taken, restored checkpoint" "$TMP/w2.err" || resumed=0
done
expect "every partition w1 had checkpointed was resumed from its checkpoint" test "$resumed" -eq 1
kill "$PID_w2"; wait "$PID_w2" 2>/dev/null

# ---- a live feed that goes quiet: 30 tracks inside the square, last heard 2 s ago; lost
# once the worker's wall clock passes that + the timeout. The timeout (30 s) leaves time
# to see the enters before that on a loaded machine (ASan, other tests); 12 s left 10.
T=30
now=$(date +%s)
$PY - "$now" >"$TMP/live.csv" <<'PY'
import sys
now = int(sys.argv[1])
print("time,id,lat,lon,alt_ft")
for k in range(15):
    for i in range(30):
        print("%d,%06x,%.3f,%.3f,30000" % (now - 30 + 2 * k, 0xb00000 + i, -0.4 + 0.025 * i, 0.1 + 0.02 * k))
PY
"$AW" replay --zones "$ZONES" --timeout $T "$TMP/live.csv" >"$TMP/live_replay.jsonl" 2>/dev/null
expect "replay: 30 enters, the visits left open" test "$(grep -c '"enter"' "$TMP/live_replay.jsonl")" -eq 30
"$AW" publish --nats "$URL" --prefix live --partitions 2 "$TMP/live.csv" 2>/dev/null
"$AW" worker --nats "$URL" --zones "$ZONES" --prefix live --name l1 --lease 2 --timeout $T \
    --live-clock 1 2>"$TMP/l1.err" &
WORKERS+=($!)
live() { "$AW" events --nats "$URL" --prefix live 2>/dev/null; }
for _ in $(seq 100); do [ "$(live | grep -c '"enter"')" -ge 30 ] && break; sleep 0.2; done
early=$(live | grep -c '"lost"')
elapsed=$(( $(date +%s) - now ))
expect "the enters are out and no lost exit before last report + timeout (${elapsed} s after; $early lost)" \
    test "$early" -eq 0 -a "$elapsed" -lt $((T - 2))
for _ in $(seq 180); do [ "$(live | grep -c '"lost"')" -ge 30 ] && break; sleep 0.5; done
live >"$TMP/live.jsonl"
after=$(( $(date +%s) - now + 2 ))
echo "lost exits $(grep -c '"lost"' "$TMP/live.jsonl") of 30, by ${after} s after the feed's last report (timeout $T s)"
expect "the worker's clock closed every visit as lost, stamped at the track's last report" $PY - \
    "$TMP/live.jsonl" "$now" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
last = int(sys.argv[2]) - 2
lost = [e for e in ev if e["type"] == "exit" and e["cause"] == "lost"]
from datetime import datetime
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
ok = len(lost) == 30 and all(abs(t(e["time"]) - last) < 1e-3 for e in lost) and len(ev) == 60
print("%d events, %d lost exits" % (len(ev), len(lost)))
sys.exit(0 if ok else 1)
PY
# ---- a checkpoint stream that is not adizwatch's is refused with the reason
"$AW" publish --nats "$URL" --prefix other --partitions 2 "$TMP/live.csv" 2>/dev/null
$PY "$TESTS/nats_client.py" create "$PORT" other_state "other_state.>"
timeout 20 "$AW" worker --nats "$URL" --zones "$ZONES" --prefix other --name o1 2>"$TMP/o1.err"
rc=$?
expect "a worker refuses a checkpoint stream that is not adizwatch's (status $rc)" test "$rc" -eq 1
expect_grep "saying why" "other_state is not adizwatch's checkpoint stream" "$TMP/o1.err"
finish
