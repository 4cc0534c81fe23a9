# cli_cluster.sh -- scale-out on a real nats-server -js (docs/scale-out.md): publish,
# three workers of which one is killed with SIGKILL mid-stream and started again, a
# nats-server restart, and the events read back equal `adizwatch replay` of the same
# input exactly; the takeovers resume from engine checkpoints, not from the start;
# --end-clock closes a quiet input's open visits. Bad input: no server, a changed partition count, a stream that is not
# ours.
source "$(dirname "$0")/testlib.sh"
source "$TESTS/cluster_lib.sh"

# No server: a clear error after retrying with backoff.
"$AW" publish --nats "$URL" --retry 1 "$FIXTURES/tracks_basic.csv" 2>"$TMP/noserver.err"
rc=$?
expect "publish without a server fails (status $rc)" test "$rc" -eq 1
expect_grep "it says it retries" "retrying in" "$TMP/noserver.err"
expect_grep "and names the server when it gives up" "cannot reach NATS at $URL.*gave up" "$TMP/noserver.err"

start_server

# The input: 3000 tracks, 120000 reports, in two halves published apart.
$PY "$TESTS/cluster_gen.py" 3000 "$TMP/all.csv"
head -60001 "$TMP/all.csv" >"$TMP/part1.csv"
{ head -1 "$TMP/all.csv"; tail -n +60002 "$TMP/all.csv"; } >"$TMP/part2.csv"
"$AW" replay --zones "$ZONES" "$TMP/all.csv" >"$TMP/replay.jsonl" 2>/dev/null
expected=$(wc -l <"$TMP/replay.jsonl")
expect "replay makes events to compare with ($expected)" test "$expected" -gt 5000

"$AW" publish --nats "$URL" --partitions 6 "$TMP/part1.csv" 2>"$TMP/pub1.err"
expect "publish the first half" test $? -eq 0
expect_grep "60000 reports published, all new" "published 60000 reports.*60000 new" "$TMP/pub1.err"
"$AW" publish --nats "$URL" "$TMP/part1.csv" 2>"$TMP/pub1b.err"
expect "publish it again" test $? -eq 0
expect_grep "publishing again adds nothing" ", 0 new in the stream" "$TMP/pub1b.err"
"$AW" publish --nats "$URL" --partitions 4 "$TMP/part2.csv" 2>"$TMP/pub4.err"
expect "a changed partition count is refused" test $? -eq 1
expect_grep "with the reason" "holds 6 partitions; refusing 4" "$TMP/pub4.err"

count_events() { "$AW" events --nats "$URL" 2>/dev/null | wc -l; }
WORKER_ARGS="--checkpoint-every 1500 --checkpoint-interval 0"
start_worker w1
start_worker w2
start_worker w3
# once a worker has made the lease bucket (it says so with its partitions): a stream that
# is not adizwatch's
lease_bucket_made() { grep -q 'partitions, lease' "$TMP"/w[123].err 2>/dev/null; }
wait_until 60 lease_bucket_made
"$AW" publish --nats "$URL" --prefix KV_adizwatch_leases "$TMP/part2.csv" 2>"$TMP/other.err"
expect "a stream that is not adizwatch's is refused" test $? -eq 1
expect_grep "with the reason" "not adizwatch's" "$TMP/other.err"

# Kill w1 once it has published events and saved a checkpoint (mid-stream), while the
# second half arrives.
w1_checkpointed() { grep -q "checkpoint at stream sequence" "$TMP/w1.err" 2>/dev/null && [ "$(count_events)" -gt 100 ]; }
wait_until 60 w1_checkpointed
kill -9 "$PID_w1"
expect "w1 had a partition when killed" grep -q "partition .* taken" "$TMP/w1.err"
expect "w1 had saved a checkpoint" grep -q "checkpoint at stream sequence [1-9]" "$TMP/w1.err"
killed_at=$(count_events)
"$AW" publish --nats "$URL" "$TMP/part2.csv" 2>"$TMP/pub2.err"
expect "publish the second half while w1 is dead" test $? -eq 0
sleep 1
start_worker w1

# A server restart mid-stream: the workers reconnect and carry on.
kill "$NS_PID"; wait "$NS_PID" 2>/dev/null
sleep 1
start_server

got=0
for _ in $(seq 300); do # up to 5 min: ASan and a loaded machine
    got=$(count_events)
    [ "$got" -ge "$expected" ] && break
    kill -0 "$PID_w2" 2>/dev/null || { echo "worker w2 died:"; cat "$TMP/w2.err"; break; }
    sleep 1
done
sleep 3 # anything more (a duplicate) would show now
"$AW" events --nats "$URL" --db "$TMP/cluster.db" >"$TMP/cluster.jsonl" 2>"$TMP/events.err"
expect "events --nats reads them back" test $? -eq 0
echo "killed w1 with $killed_at events out; $(wc -l <"$TMP/cluster.jsonl") of $expected at the end"
expect "the cluster's events equal replay's: same set, order per track and zone, no loss, no duplicate" \
    $PY "$TESTS/cluster_check.py" "$TMP/replay.jsonl" "$TMP/cluster.jsonl"
expect "a takeover published only past the ack floor" \
    grep -q "events published after stream sequence [1-9]" "$TMP"/w*.err
grep -h "restored checkpoint" "$TMP"/w*.err | sed 's/^/  /'
restored=$(grep -h "restored checkpoint at stream sequence [1-9]" "$TMP"/w*.err | wc -l)
from_start=$(grep -h "replaying from its start" "$TMP"/w*.err | wc -l)
echo "takeovers: $restored from a checkpoint, $from_start from the start"
expect "takeovers resumed from engine checkpoints, not from the start ($restored)" \
    test "$restored" -ge 1
expect "with the tracks and open visits they held" \
    grep -q "restored checkpoint at stream sequence [1-9][0-9]* ([1-9][0-9]* bytes, [1-9][0-9]* tracks, [1-9][0-9]* open visits" "$TMP"/w*.err
stored=$("$AW" events --db "$TMP/cluster.db" | wc -l)
expect "--db keeps them for report, patrol, serve ($stored)" test "$stored" -eq "$expected"

# Expiry: with --end-clock, the visits a quiet input leaves open get their lost exits.
"$AW" replay --zones "$ZONES" "$TMP/part1.csv" >"$TMP/replay1.jsonl" 2>"$TMP/replay1.err"
open=$(sed -n 's/.* \([0-9]*\) visits still open.*/\1/p' "$TMP/replay1.err")
expect "the first half alone leaves visits open (${open:-?})" test "${open:-0}" -gt 0
"$AW" publish --nats "$URL" --prefix clk --partitions 3 --end-clock "$TMP/part1.csv" 2>/dev/null
"$AW" worker --nats "$URL" --zones "$ZONES" --prefix clk --name c1 --lease 2 2>"$TMP/c1.err" &
WORKERS+=($!)
want=$(( $(wc -l <"$TMP/replay1.jsonl") + ${open:-0} ))
for _ in $(seq 180); do
    [ "$("$AW" events --nats "$URL" --prefix clk 2>/dev/null | wc -l)" -ge "$want" ] && break
    sleep 1
done
"$AW" events --nats "$URL" --prefix clk >"$TMP/clk.jsonl" 2>/dev/null
expect "replay's events plus one lost exit per open visit, every enter exited" $PY - \
    "$TMP/replay1.jsonl" "$TMP/clk.jsonl" "${open:-0}" <<'PY'
import json, sys
from collections import Counter
ref = Counter(open(sys.argv[1]).read().split("\n")) - Counter([""])
got = Counter(open(sys.argv[2]).read().split("\n")) - Counter([""])
extra = [json.loads(l) for l in (got - ref).elements()]
ev = [json.loads(l) for l in got.elements()]
ok = (not (ref - got) and len(extra) == int(sys.argv[3])
      and all(e["type"] == "exit" and e["cause"] == "lost" for e in extra)
      and sum(e["type"] == "enter" for e in ev) == sum(e["type"] == "exit" for e in ev))
print("extra %d (want %s), missing %d" % (len(extra), sys.argv[3], sum((ref - got).values())))
sys.exit(0 if ok else 1)
PY

for p in "${WORKERS[@]}"; do kill "$p" 2>/dev/null; done
wait "$PID_w2"; rc=$?
expect "a worker stops on SIGTERM, releasing its leases (status $rc)" test "$rc" -eq 0
finish
