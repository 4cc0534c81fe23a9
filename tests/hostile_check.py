#!/usr/bin/env python3
"""hostile_check.py LOG ERR PORT IDLE_S HWM_END_KB GROWTH_KB FMT -- the checks of
tests/cli_hostile.sh on what tests/hostile_feed.py logged (LOG) and what watch wrote on
stderr (ERR); prints "ok: ..." or "FAIL: ..." for each, like the shell tests' expect.
Standard library only."""
import json, re, sys
log_path, err_path, port, idle, hwm_end, growth = (sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]),
                                                   int(sys.argv[5]), int(sys.argv[6]))
fmt = sys.argv[7]
recs = [json.loads(l) for l in open(log_path)]
conns = [r for r in recs if "conn" in r]
err = open(err_path, errors="replace").read()
def check(desc, cond):
    print(("ok: " if cond else "FAIL: ") + fmt + ": " + desc)

# Backoff: the gap from one connection's end to the next one's start.
gaps = [(conns[i]["kind"], conns[i + 1]["t_accept"] - conns[i]["t_close"]) for i in range(len(conns) - 1)]
print("gaps: " + ", ".join("%s %.2f" % g for g in gaps))
e = [g for k, g in gaps if k == "empty"]
if fmt == "sbs":  # the CSV plan has no empty connections
    check("empty connections: backoff 1 s, 2 s, 4 s (%s)" % e,
          len(e) == 3 and 0.8 <= e[0] <= 1.8 and 1.8 <= e[1] <= 2.9 and 3.8 <= e[2] <= 5.0)
d = [g for k, g in gaps if k != "empty"]
check("after data the backoff is back to 1 s (%s)" % d, d and all(0.8 <= g <= 1.9 for g in d))
check("every gap within the 30 s cap", all(g <= 31 for _, g in gaps))
n_conn = len(re.findall(r"connected to 127\.0\.0\.1:%s" % port, err))
check("watch connected once per connection served (%d)" % n_conn, n_conn >= len(conns))

stall = [r["stall_s"] for r in recs if "stall_s" in r]
check("a stalled connection is closed after the idle timeout (%s s)" % stall,
      len(stall) == 1 and idle - 0.2 <= stall[0] <= idle + 1.5)
check("the idle close is reported", "no complete line for %g s" % idle in err)
check("the reset is reported", "Connection reset by peer" in err)
check("garbage does not reach the log: stderr is plain ASCII", open(err_path, "rb").read().isascii())

# Every dropped line is counted, and the first 20 reported with their numbers.
kinds = [k for c in conns for k in c["lines"]]
want = [(i + 1, k) for i, k in enumerate(kinds) if k != "good"]
got = [(int(n), why) for n, why in re.findall(r"^127\.0\.0\.1:%s:(\d+): bad line: (.*)$" % port, err, re.M)]
check("%d dropped lines reported, at lines %s" % (len(got), [n for n, _ in got]),
      [n for n, _ in got] == [n for n, _ in want][:20])
reasons = {"cut": "cut off", "toolong": "line too long"}
check("cut-off and too-long lines say so",
      all(reasons[k] in why for (n, k), (_, why) in zip(want, got) if k in reasons))
m = re.search(r"(\d+) lines, (\d+) reports.* (\d+) bad lines", err)
check("summary: %s lines, %s bad (want %d, %d)" % (m and m.group(1), m and m.group(3), len(kinds), len(want)),
      m is not None and int(m.group(1)) == len(kinds) and int(m.group(3)) == len(want))

# Memory: the 10 MB line is not held (the line limit is 1 MB).
before = [r["hwm_before_kb"] for r in recs if "hwm_before_kb" in r]
check("VmHWM %s kB before the 10 MB line, %d kB at the end: grew by under %d kB" % (before, hwm_end, growth),
      len(before) == 1 and before[0] > 0 and before[0] <= hwm_end < before[0] + growth)
