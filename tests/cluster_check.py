#!/usr/bin/python3
"""cluster_check.py REPLAY CLUSTER -- the cluster's events equal replay's: the same set,
no duplicate, no loss, and for every (track, zone) the same events in the same order.
Prints what differs; exit status 0 only if nothing does."""
import json
import sys
from collections import Counter, defaultdict

def load(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]

ref, got = load(sys.argv[1]), load(sys.argv[2])
bad = 0
dups = [l for l, c in Counter(got).items() if c > 1]
if dups:
    bad += 1
    print("%d duplicated events, e.g. %s" % (len(dups), dups[0]))
missing = Counter(ref) - Counter(got)
extra = Counter(got) - Counter(ref)
if missing:
    bad += 1
    print("%d events lost, e.g. %s" % (sum(missing.values()), next(iter(missing))))
if extra:
    bad += 1
    print("%d events not in replay, e.g. %s" % (sum(extra.values()), next(iter(extra))))

def per_key(lines):
    d = defaultdict(list)
    for l in lines:
        e = json.loads(l)
        d[(e["track"], e["zone"])].append(l)
    return d

a, b = per_key(ref), per_key(got)
order = [k for k in a if a[k] != b.get(k)]
if order:
    bad += 1
    print("%d (track, zone) pairs out of order, e.g. %s" % (len(order), order[0]))
print("replay %d events, cluster %d, %d (track, zone) pairs" % (len(ref), len(got), len(a)))
sys.exit(1 if bad else 0)
