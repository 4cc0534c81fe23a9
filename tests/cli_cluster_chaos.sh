# cli_cluster_chaos.sh -- the NATS JetStream scale-out (docs/scale-out.md) under churn:
# three workers checkpointing often, one of them killed with SIGKILL and started again,
# or frozen past its lease and woken (a stale owner), every second or so while they work; each restarted worker takes its partitions back
# from their checkpoints. Then the second half of the input is published and the server
# stopped and started again while the workers publish events asynchronously. The events
# read back must still equal `adizwatch replay` of the same input exactly: same set, order
# per track and zone, no loss, no duplicate.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/cluster_lib.sh"
start_server
$PY "$TESTS/cluster_gen.py" 3000 "$TMP/all.csv"
"$AW" replay --zones "$ZONES" "$TMP/all.csv" >"$TMP/replay.jsonl" 2>/dev/null
expected=$(wc -l <"$TMP/replay.jsonl")
head -80001 "$TMP/all.csv" >"$TMP/part1.csv"
{ head -1 "$TMP/all.csv"; tail -n +80002 "$TMP/all.csv"; } >"$TMP/part2.csv"
"$AW" publish --nats "$URL" --partitions 6 "$TMP/part1.csv" 2>/dev/null
expect "publish the first two thirds" test $? -eq 0
count_events() { "$AW" events --nats "$URL" 2>/dev/null | wc -l; }
WORKER_ARGS="--checkpoint-every 400 --checkpoint-interval 0"
start_worker w1
start_worker w2
start_worker w3
RANDOM=20 # the same kills every run
kills=0
freezes=0
for i in $(seq 8); do
    sleep "0.$((3 + RANDOM % 5))"
    victim=w$((1 + RANDOM % 3))
    pid_var=PID_$victim
    if [ $((i % 2)) -eq 0 ]; then
        # stalled past its 2 s lease (as on a loaded machine): its partitions are taken
        # over while it sleeps, and it wakes up believing it still owns them
        kill -STOP "${!pid_var}"
        sleep 3.5
        kill -CONT "${!pid_var}" && freezes=$((freezes + 1))
        echo "froze $victim for 3.5 s; $(count_events) of $expected events out"
        continue
    fi
    kill -9 "${!pid_var}" 2>/dev/null && kills=$((kills + 1))
    wait "${!pid_var}" 2>/dev/null
    echo "killed $victim with $(count_events) of $expected events out"
    start_worker "$victim"
done
# the server stops while the last third is published and the workers work on it
"$AW" publish --nats "$URL" "$TMP/part2.csv" 2>/dev/null &
pub=$!
sleep 0.8
kill "$NS_PID"; wait "$NS_PID" 2>/dev/null
wait "$pub"
sleep 1
start_server
echo "server restarted with $(count_events) of $expected events out"
"$AW" publish --nats "$URL" "$TMP/part2.csv" 2>/dev/null # whatever was cut off
expect "publish the last third (again)" test $? -eq 0
# generous: on a loaded machine the workers can take minutes; done as soon as they are
for _ in $(seq 480); do [ "$(count_events)" -ge "$expected" ] && break; sleep 0.5; done
sleep 3 # anything more (a duplicate) would show now
"$AW" events --nats "$URL" >"$TMP/cluster.jsonl" 2>/dev/null
restored=$(cat "$TMP"/w*.err | grep -c "restored checkpoint at stream sequence [1-9]")
from_start=$(cat "$TMP"/w*.err | grep -c "replaying from its start")
unused=$(cat "$TMP"/w*.err | grep -c "not used")
over=$(cat "$TMP"/w*.err | grep -c "starting it over")
echo "$over partitions started over after a failed publish or fetch"
stale=$(cat "$TMP"/w*.err | grep -c "lost (another worker holds its lease)")
echo "$kills kills, $freezes freezes ($stale partitions found taken by a woken owner); takeovers: $restored from a checkpoint, $from_start from the start; $unused checkpoints not used"
expect "the events equal replay's after $kills kills, $freezes freezes and a server restart" \
    $PY "$TESTS/cluster_check.py" "$TMP/replay.jsonl" "$TMP/cluster.jsonl"
expect "restarted workers resumed from checkpoints ($restored takeovers)" test "$restored" -ge 3
expect "a frozen worker woke to find partitions taken over ($stale)" test "$stale" -ge 1
finish
