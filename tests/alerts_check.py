#!/usr/bin/env python3
"""alerts_check.py -- what the alert tests assert, computed apart from adizwatch.

  expected EVENTS.jsonl ZONES.geojson [OWNER] > EXPECTED.jsonl
      The events the tests' rule file (tests/fixtures/alerts_rules.ini) selects, worked
      out here from the events replay printed and the zones' kinds and owners: entries
      and exits of the ADIZs owned by KR or JP, and entries into any territorial
      airspace; with OWNER also the scramble advice and intercepts for that owner
      (tests/fixtures/alerts_advice.ini). One key per line: type, track, zone, time.
  compare EXPECTED.jsonl RECEIVED [REFERENCE]
      RECEIVED holds alerts as a sink got them, one JSON object a line (webhook bodies,
      MQTT payloads, file lines). Asserts each parses and carries an id and its event;
      each id always names the same event; after dropping repeats by id, the events
      received are exactly the expected ones, each once. With REFERENCE (alerts of
      another run) the ids of the same events are the same. Prints the figures.
  patrol PATROL.jsonl [FRIENDLY] [CLOCK] [all] > EXPECTED.jsonl
      The patrol events (as `adizwatch patrol --db` printed them from the store's trails)
      that the patrol rules of tests/fixtures/alerts_patrol.ini select: landings whose
      field is not of the aircraft's nation, and groups; none about a FRIENDLY nation's
      aircraft (a group's: its lead's). With CLOCK (a feed's last report time, epoch
      seconds) only those a live run has settled by then: more than 600 s before it (a
      mission: its end). With "all", every event (a rule naming every patrol type).
  live EXPECTED.jsonl RECEIVED PATROL.jsonl [REFERENCE]
      As compare, for a live run: every expected alert arrives, and besides them only
      groups that were groups of their own when seen live and later joined a bigger one
      (all their members are members of one group of PATROL.jsonl, which does not have
      them as a group): a replay sees the whole day and one group. Counts them. With
      REFERENCE (a replay's alerts), the events both have have the same ids.
  basis INPUT.csv RECEIVED
      Each alert's basis against the input's provenance comment: "recorded" without one;
      else "assumed" (with the scenario's reason) exactly when the event rests on an
      assumed take-off or landing (a take-off: its track's departure; a landing: its
      arrival; a mission: the departure it starts with, the arrival it ends with; a group:
      any track of its take-offs or landings), otherwise "simulated".
Standard library only."""
import json
import sys


def key(ev):
    return (ev["type"], ev["track"], ev.get("zone", ""), ev["time"])


def epoch(iso):
    import calendar
    import time
    whole, _, frac = iso.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (frac or "0"))


def patrol(patrol_path, friendly="", clock=None, which=""):
    friendly = set(x for x in friendly.split(",") if x)
    for line in open(patrol_path):
        ev = json.loads(line)
        if ev["type"] == "group":
            nation = [m["nation"] for m in ev["members"] if m["track"] == ev["track"]][0]
        elif (ev["type"] == "landing" and ev.get("landed_abroad") is True) or which == "all":
            nation = ev.get("nation", "")
        else:
            continue
        if nation in friendly:
            continue
        settle = epoch(ev["end"]) if ev["type"] == "mission" else epoch(ev["time"])
        if clock not in (None, "") and float(clock) - settle <= 600:
            continue
        print(json.dumps(key(ev)))


def live(expected_path, received_path, patrol_path, reference_path=None):
    want = set(tuple(json.loads(l)) for l in open(expected_path) if l.strip())
    finals = [json.loads(l) for l in open(patrol_path)]
    groups = [set(m["track"] for m in g["members"]) for g in finals if g["type"] == "group"]
    final_keys = set(key(g) for g in finals)
    alerts = load_alerts(received_path)
    by_id = {}
    for a in alerts:
        k = key(a["event"])
        if by_id.setdefault(a["id"], k) != k:
            sys.exit("id %s names two events" % a["id"])
    got = {}
    for a in alerts:
        got[key(a["event"])] = a["event"]
    if len(got) != len(by_id):
        sys.exit("an event has two ids")
    missing = want - set(got)
    merged = 0
    for k, ev in got.items():
        if k in want:
            continue
        members = set(m["track"] for m in ev.get("members", []))
        if ev["type"] == "group" and k not in final_keys and any(members <= g for g in groups):
            merged += 1
            continue
        sys.exit("unexpected %s" % (k,))
    if missing:
        sys.exit("missing %d: %s" % (len(missing), sorted(missing)[:5]))
    same = ""
    if reference_path:
        ref = {key(a["event"]): a["id"] for a in load_alerts(reference_path)}
        ids = {k: i for i, k in by_id.items()}
        both = [k for k in ids if k in ref]
        changed = [k for k in both if ids[k] != ref[k]]
        if changed or not both:
            sys.exit("ids differ from the reference run for %d of %d events" % (len(changed), len(both)))
        same = ", the replay's ids for all %d" % len(both)
    print("selected %d, received %d messages, %d distinct, %d duplicates, %d groups that "
          "joined a bigger one later%s" % (len(want), len(alerts), len(by_id),
                                            len(alerts) - len(by_id), merged, same))


def basis(input_path, received_path):
    first = open(input_path).readline()
    tag = "# adizwatch-provenance "
    prov = json.loads(first[len(tag):]) if first.startswith(tag) else None
    assumed = {(a["track"], a["item"]): a["reason"] for a in (prov or {}).get("assumed", [])}
    n = {}
    for a in load_alerts(received_path):
        ev = a["event"]
        rests = []
        if ev["type"] == "takeoff":
            rests = [(ev["track"], "departure")]
        elif ev["type"] == "landing":
            rests = [(ev["track"], "arrival")]
        elif ev["type"] == "mission":
            rests = ([(ev["track"], "departure")] if ev.get("start_by") == "takeoff" else []) + \
                    ([(ev["track"], "arrival")] if ev.get("end_by") == "landing" else [])
        elif ev["type"] == "group":
            rests = [(t, "departure") for x in ev.get("takeoffs", []) for t in x["tracks"]] + \
                    [(t, "arrival") for x in ev.get("landings", []) for t in x["tracks"]]
        reasons = [assumed[r] for r in rests if r in assumed]
        want = "recorded" if prov is None else "assumed" if reasons else "simulated"
        if a.get("basis") != want:
            sys.exit("alert %s (%s %s): basis %r, not %r" % (a["id"], ev["type"], ev["track"],
                                                            a.get("basis"), want))
        if reasons and a.get("basis_reason") not in reasons:
            sys.exit("alert %s: basis_reason %r is not the scenario's" % (a["id"], a.get("basis_reason")))
        n[want] = n.get(want, 0) + 1
    print("basis: " + ", ".join("%d %s" % (v, k) for k, v in sorted(n.items())))


def expected(events_path, zones_path, advice_owner=None):
    zones = {f["properties"]["id"]: f["properties"] for f in json.load(open(zones_path))["features"]}
    out = []
    for line in open(events_path):
        ev = json.loads(line)
        if ev.get("type") in ("scramble_advice", "intercept"):
            if advice_owner and ev.get("owner") == advice_owner:
                out.append(key(ev))
            continue
        if ev.get("type") not in ("enter", "exit"):
            continue
        z = zones.get(ev["zone"], {})
        kind, owner = z.get("kind", ""), z.get("owner", "")
        if kind == "adiz" and owner in ("KR", "JP"):
            out.append(key(ev))
        elif kind == "territorial" and ev["type"] == "enter":
            out.append(key(ev))
    for k in out:
        print(json.dumps(k))


def load_alerts(path):
    alerts = []
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line:
            continue
        try:
            a = json.loads(line)
        except ValueError:
            sys.exit("%s:%d: not JSON: %r" % (path, n, line[:80]))
        if not isinstance(a, dict) or "id" not in a or "event" not in a:
            sys.exit("%s:%d: not an alert: %r" % (path, n, line[:80]))
        alerts.append(a)
    return alerts


def compare(expected_path, received_path, reference_path=None):
    want = [tuple(json.loads(l)) for l in open(expected_path) if l.strip()]
    alerts = load_alerts(received_path)
    by_id = {}
    for a in alerts:
        k = key(a["event"])
        if by_id.setdefault(a["id"], k) != k:
            sys.exit("id %s names two events: %s and %s" % (a["id"], by_id[a["id"]], k))
    got = sorted(by_id.values())
    ids_of = {}
    for i, k in by_id.items():
        if k in ids_of:
            sys.exit("event %s has two ids" % (k,))
        ids_of[k] = i
    ok = True
    if sorted(want) != got:
        missing = set(want) - set(got)
        extra = set(got) - set(want)
        print("missing %d: %s" % (len(missing), sorted(missing)[:5]))
        print("unexpected %d: %s" % (len(extra), sorted(extra)[:5]))
        ok = False
    if reference_path:
        ref = {key(a["event"]): a["id"] for a in load_alerts(reference_path)}
        changed = [k for k, i in ids_of.items() if k in ref and ref[k] != i]
        if changed or set(ref) != set(ids_of):
            print("ids differ from the reference run for %d events" % len(changed))
            ok = False
    print("selected %d, received %d messages, %d distinct, %d duplicates"
          % (len(want), len(alerts), len(by_id), len(alerts) - len(by_id)))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1] == "expected":
        expected(*sys.argv[2:5])
    elif sys.argv[1] == "compare":
        compare(*sys.argv[2:5])
    elif sys.argv[1] == "patrol":
        patrol(*sys.argv[2:6])
    elif sys.argv[1] == "live":
        live(*sys.argv[2:6])
    elif sys.argv[1] == "basis":
        basis(*sys.argv[2:4])
    else:
        sys.exit(__doc__)
