#!/usr/bin/env bash
# patrol: the built-in 30 Nov 2022 day, simulated, replayed into a store with trails, then
# analysed. The midday group must be joint (CN + RU) and escorted by Su-35S, both bomber
# types must land abroad (Tu-95MS in China, H-6K in Russia), the Tu-95s take off at
# Ukrainka, and the H-6K / Tu-95 group go through the Tsushima and Miyako straits. The
# records are idempotent, and the observer report carries the Patrols section, from the
# records or, on a store without them, computed from the trails.
source "$(dirname "$0")/testlib.sh"

"$AW" patrol >/dev/null 2>&1
expect "no --db: status 2" [ $? -eq 2 ]
"$AW" patrol --db x.db --day 2022-11-30 --from 2022-11-30T00:00:00Z >/dev/null 2>&1
expect "--day with --from: status 2" [ $? -eq 2 ]
"$AW" patrol --db "$TMP/none.db" >/dev/null 2>&1
expect "missing store: status 1" [ $? -eq 1 ]

"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/day.csv" --aircraft-db "$TMP/aircraft.csv" 2>/dev/null
expect "simulate exits 0" [ $? -eq 0 ]
"$AW" replay --zones builtin:east-asia --db "$TMP/day.db" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay --db exits 0" [ $? -eq 0 ]
# The patrol analysis works on the trails: a store without them is a storage regression.
npos=$(sqlite3 "$TMP/day.db" 'SELECT count(*) FROM positions')
expect "replay --db stored the trails ($npos positions)" [ "${npos:-0}" -gt 0 ]
cp "$TMP/day.db" "$TMP/fresh.db"

"$AW" patrol --db "$TMP/day.db" --day 2022-11-30 --tz +09:00 --aircraft-db "$TMP/aircraft.csv" \
    >"$TMP/patrol.jsonl" 2>"$TMP/err"
expect "patrol exits 0" [ $? -eq 0 ]
expect_grep "summary counts groups and records" 'groups, .* records added' "$TMP/err"

$PY - "$TMP/patrol.jsonl" <<'PYEOF'
import json, sys, datetime
evs = [json.loads(l) for l in open(sys.argv[1])]
fails = 0
def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += not ok
def kst(iso):
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return t.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
for e in evs:
    assert {"type", "track", "time", "lat", "lon"} <= e.keys(), e
check([e["time"] for e in evs] == sorted(e["time"] for e in evs), "events in time order")
groups = [e for e in evs if e["type"] == "group"]
def types(g): return {m["type"] for m in g["members"]}
mid = [g for g in groups if {"H-6K", "Tu-95MS", "Su-35S"} <= types(g)]
check(len(mid) == 1, "one group holds H-6K, Tu-95MS and Su-35S")
if mid:
    g = mid[0]
    start = kst(g["start"])
    check(10 <= start.hour < 13, f"the group forms around midday KST ({start:%H:%M})")
    check(g["joint"] and sorted(g["nations"]) == ["CN", "RU"], f"joint CN + RU ({g['nations']})")
    check(g["escorted"] and any(x["type"] == "Su-35S" for x in g["escorts"]), "escorted by Su-35S")
    kinds = {(a["type"], a["nation"]): a["count"] for a in g["aircraft"]}
    check(kinds.get(("Tu-95MS", "RU")) == 4 and kinds.get(("H-6K", "CN")) == 2
          and kinds.get(("Su-35S", "RU")) == 2, f"H-6K x2 + Tu-95MS x4 + Su-35S x2 ({kinds})")
    check(not any(m["nation"] in ("KR", "JP") for m in g["members"]),
          "Korean and Japanese interceptors are not members")
    st = {s["strait"] for s in g["straits"]}
    check({"Tsushima Strait", "Miyako Strait"} <= st, f"Tsushima and Miyako straits ({st})")
    ts = [s for s in g["straits"] if s["strait"] == "Tsushima Strait"]
    check(any(s["heading"] in ("SW", "WSW", "SSW") and
              {"H-6K", "Tu-95MS"} <= {m["type"] for m in g["members"] if m["track"] in s["tracks"]}
              for s in ts), "H-6K and Tu-95MS through the Tsushima Strait south-westward")
    check(g["landed_abroad"], "the group's landings include one abroad")
    check(g["mission_s"] > g["duration_s"] > 3600, "mission longer than the time together, both hours")
land = [e for e in evs if e["type"] == "landing"]
for typ, field_country in (("Tu-95MS", "CN"), ("H-6K", "RU")):
    ab = [e for e in land if e["aircraft_type"] == typ and e["landed_abroad"]]
    check(len(ab) >= 2 and all(e["field_country"] == field_country for e in ab),
          f"{typ} x{len(ab)} landed abroad in {field_country} ({sorted({e['field'] for e in ab})})")
home = [e for e in land if not e["landed_abroad"]]
check(all(e["field_country"] == e["nation"] for e in home), "landings at home are not abroad")
tko = [e for e in evs if e["type"] == "takeoff" and e["aircraft_type"] == "Tu-95MS" and e["time"] < "2022-11-30T03"]
check(len(tko) == 4 and all(e["field"] == "UHBU" for e in tko),
      f"Tu-95MS x4 take off at Ukrainka (UHBU) in the morning ({[e['field'] for e in tko]})")
mis = [e for e in evs if e["type"] == "mission" and e["track"] == "T0021"]
check(len(mis) == 1 and mis[0]["start_by"] == "takeoff" and mis[0]["end_by"] == "landing",
      "the lead Tu-95MS's mission runs from take-off to landing")
sys.exit(1 if fails else 0)
PYEOF
expect "the analysis of the day" [ $? -eq 0 ]

"$AW" patrol --db "$TMP/day.db" --day 2022-11-30 --tz +09:00 --aircraft-db "$TMP/aircraft.csv" \
    >"$TMP/again.jsonl" 2>"$TMP/err"
expect_grep "a second run adds no record" ' 0 records added' "$TMP/err"
expect "a second run prints the same events" cmp -s "$TMP/patrol.jsonl" "$TMP/again.jsonl"

# The report: from the records, and on a store without them, computed from the trails.
for db in day fresh; do
    mkdir -p "$TMP/$db-out"
    "$AW" report --db "$TMP/$db.db" --day 2022-11-30 --observer KR --aircraft-db "$TMP/aircraft.csv" \
        --out "$TMP/$db-out" >/dev/null 2>"$TMP/err"
    expect "report ($db) exits 0" [ $? -eq 0 ]
    md="$TMP/$db-out/report-KR-2022-11-30.md"
    expect_grep "report ($db) has a Patrols section" '^## Patrols' "$md"
    expect_grep "report ($db) says joint" '\*\*Joint\*\*: ' "$md"
    expect_grep "report ($db) says landed abroad" 'landed abroad' "$md"
    $PY - "$TMP/$db-out/report-KR-2022-11-30.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
p = r["patrols"]
assert any(g["joint"] and g["escorted"] for g in p), p
abroad = {t for g in p for l in g["landings"] if l["landed_abroad"] for t in l["types"]}
assert {"H-6K", "Tu-95MS"} <= abroad, abroad
assert "incursions" in r
PYEOF
    expect "report ($db) JSON: a joint, escorted patrol; H-6K and Tu-95MS landed abroad" [ $? -eq 0 ]
done
finish
