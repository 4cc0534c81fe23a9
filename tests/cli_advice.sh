#!/usr/bin/env bash
# advice: replay --advise on the built-in 30 Nov 2022 day. Korea is advised a ROKAF base
# for the morning H-6K pair, Japan a Western Air Defense Force base while the pair is
# near the Korea Strait; the simulated ROKAF and JASDF scrambles are seen as intercepts;
# advice is not repeated within 3 min; without --advise the output is what it was; the
# records are stored once and the observer reports show them.
source "$(dirname "$0")/testlib.sh"
require "$PY" [ -x "$PY" ]

"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/day.csv" --aircraft-db "$TMP/ac.csv" 2>/dev/null
expect "simulate exits 0" [ $? -eq 0 ]
"$AW" replay --zones builtin:east-asia "$TMP/day.csv" >"$TMP/plain.jsonl" 2>/dev/null
"$AW" replay --zones builtin:east-asia --advise --aircraft-db "$TMP/ac.csv" --friendly KR,JP \
    --db "$TMP/day.db" "$TMP/day.csv" >"$TMP/advice.jsonl" 2>"$TMP/err"
expect "replay --advise exits 0" [ $? -eq 0 ]
expect_grep "the summary counts advice and intercepts" 'scramble advice, [1-9][0-9]* intercepts' "$TMP/err"
grep -v '"type":"scramble_advice"\|"type":"intercept"' "$TMP/advice.jsonl" >"$TMP/zone_only.jsonl"
expect "the zone events are those of a plain replay" cmp -s "$TMP/plain.jsonl" "$TMP/zone_only.jsonl"
"$AW" replay --zones builtin:east-asia --advise --aircraft-db "$TMP/ac.csv" "$TMP/day.csv" \
    >"$TMP/unfriendly.jsonl" 2>/dev/null

expect "KR, JP advice and intercepts on the day" $PY - "$TMP/advice.jsonl" "$TMP/unfriendly.jsonl" <<'PY'
import json, sys, datetime
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
def kst(hhmm):
    h, m = map(int, hhmm.split(":"))
    return datetime.datetime(2022, 11, 30, h, m, tzinfo=datetime.timezone(datetime.timedelta(hours=9))).timestamp()
ev = [json.loads(l) for l in open(sys.argv[1])]
adv = [e for e in ev if e["type"] == "scramble_advice"]
icp = [e for e in ev if e["type"] == "intercept"]
bad = []
for e in adv:
    for k in ("base", "intercept_time", "intercept_lat", "intercept_lon", "before_territory",
              "track", "time", "zone", "owner", "time_to_territory_s", "bases"):
        if k not in e: bad.append("advice without %s: %s" % (k, e)); break
    if e["base"] is not None and e["bases"][0]["base"] != e["base"]: bad.append("base is not bases[0]")
    if len(e["bases"]) > 3: bad.append("more than 3 bases")
    if e["base"] is not None and t(e["intercept_time"]) <= t(e["time"]): bad.append("intercept before the advice")
morning = ("T0011", "T0012")
kr = [e for e in adv if e["owner"] == "KR" and e["track"] in morning and t(e["time"]) < kst("06:14")]
if not kr: bad.append("no KR advice for the morning pair before its 06:13 exit")
elif not all(e["bases"][0]["operator"] == "ROKAF" for e in kr if e["base"]): bad.append("KR advice names a non-ROKAF base: %s" % kr[0])
elif not kr[0]["zone"] == "KADIZ": bad.append("KR advice not about the KADIZ")
wadf = {"Tsuiki AB", "Nyutabaru AB"}
jp = [e for e in adv if e["owner"] == "JP" and e["track"] in morning and t(e["time"]) < kst("06:40")
      and 31.5 <= e["lat"] <= 35.5 and 124 <= e["lon"] <= 130.5]
if not jp: bad.append("no JP advice for the pair near the Korea Strait")
elif not any(e["base"] in wadf for e in jp): bad.append("JP advice names no Western ADF base: %s" % [e["base"] for e in jp])
# Not spam: per track and owner, advice at least 180 s apart.
last = {}
for e in adv:
    k = (e["track"], e["owner"])
    if k in last and t(e["time"]) - last[k] < 180: bad.append("advice %s %s only %.0f s apart" % (k + (t(e["time"]) - last[k],)))
    last[k] = t(e["time"])
# Friends and the owner's own fighters are never advised on.
fighters = ("T0071", "T0072", "T0081", "T0082")
if any(e["track"] in fighters for e in adv): bad.append("--friendly KR,JP: advice on a KR/JP fighter")
other = [json.loads(l) for l in open(sys.argv[2])]
own = [e for e in other if e["type"] == "scramble_advice" and
       ((e["owner"] == "KR" and e["track"] in ("T0071", "T0072")) or (e["owner"] == "JP" and e["track"] in ("T0081", "T0082")))]
if own: bad.append("advice to an owner on its own fighters: %s" % own[0])
# The scrambles are seen: each fighter meets each of the pair, from its real base.
for fighters_, base, owner in ((("T0081", "T0082"), "Tsuiki AB", "JP"), (("T0071", "T0072"), "Daegu AB (K-2)", "KR")):
    got = {(e["interceptor"], e["track"]) for e in icp if e["owner"] == owner and e["interceptor"] in fighters_}
    want = {(f, x) for f in fighters_ for x in morning}
    if got != want: bad.append("%s intercepts %s, want %s" % (owner, sorted(got), sorted(want)))
    for e in icp:
        if e["interceptor"] not in fighters_: continue
        if e["takeoff_base"] != base: bad.append("%s took off from %s" % (e["interceptor"], e["takeoff_base"]))
        if not (0 < e["advice_to_takeoff_s"] < 7200 and e["takeoff_to_intercept_s"] > 0): bad.append("reaction times %s" % e)
        if e["distance_nm"] > 10: bad.append("intercept at %.1f NM" % e["distance_nm"])
        if t(e["takeoff_time"]) < t(e["advice_time"]): bad.append("took off before the advice")
if any(e["interceptor"] not in fighters for e in icp): bad.append("an intercept by a non-scramble track")
print("\n".join(bad) if bad else "ok: %d advice, %d intercepts" % (len(adv), len(icp)))
sys.exit(1 if bad else 0)
PY

# Stored once: as many records as lines, and a second replay adds none.
count_records() { $PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select count(*) from records where type in (\"scramble_advice\", \"intercept\")").fetchone()[0])' "$1"; }
lines=$(grep -c '"type":"scramble_advice"\|"type":"intercept"' "$TMP/advice.jsonl")
expect "every advice and intercept is a record ($lines)" [ "$(count_records "$TMP/day.db")" = "$lines" ]
"$AW" replay --zones builtin:east-asia --advise --aircraft-db "$TMP/ac.csv" --friendly KR,JP \
    --db "$TMP/day.db" "$TMP/day.csv" >/dev/null 2>&1
expect "replaying again stores nothing new" [ "$(count_records "$TMP/day.db")" = "$lines" ]

# The reports.
for obs in KR JP; do
    "$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer "$obs" --aircraft-db "$TMP/ac.csv" \
        --out "$TMP" >/dev/null 2>&1
    expect "report $obs exits 0" [ $? -eq 0 ]
done
expect_grep "KR report: the section" '^## Scramble advice and intercepts' "$TMP/report-KR-2022-11-30.md"
expect_grep "KR report: the morning pair advised a ROKAF base at 05:xx" '^| T0011 | H-6K (CN) | 05:[0-9][0-9] | KADIZ' "$TMP/report-KR-2022-11-30.md"
expect_grep "KR report: the F-15K from Daegu met the pair" 'T0071 met T0011 H-6K (CN), .* from Daegu AB' "$TMP/report-KR-2022-11-30.md"
expect_grep "JP report: Tsuiki advised and flown" 'T0081 met T0011 H-6K (CN), .* from Tsuiki AB, .*advised: Tsuiki AB' "$TMP/report-JP-2022-11-30.md"
expect "the JSON reports carry the advice and intercepts of their observer" $PY - "$TMP" <<'PY'
import json, sys
for obs in ("KR", "JP"):
    r = json.load(open("%s/report-%s-2022-11-30.json" % (sys.argv[1], obs)))
    assert r["advice"] and r["intercepts"], obs
    assert all(a["owner"] == obs and a["type"] == "scramble_advice" for a in r["advice"])
    assert all(i["owner"] == obs and i["type"] == "intercept" for i in r["intercepts"])
    # the owner's own scrambled fighters are no incursion
    own = ("T007", "T008")
    assert not any(t.startswith(own) for i in r["incursions"] for t in i["tracks"]), obs
PY
sed -n '/^## Timeline/,/^## Territorial/p' "$TMP/report-KR-2022-11-30.md" >"$TMP/kr_timeline.md"
expect "KR report: has a timeline with entries" [ "$(grep -c '^- ' "$TMP/kr_timeline.md")" -gt 0 ]
expect_no_grep "KR report: its own F-15K are not in the timeline" F-15K "$TMP/kr_timeline.md"
"$AW" replay --zones builtin:east-asia --advise --aircraft-db "$TMP/nope.csv" "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "a missing aircraft database: status 2" [ $? -eq 2 ]
finish
