#!/usr/bin/env bash
# report, the demo day: the built-in 30 Nov 2022 scenario flown, replayed into a store and
# reported for Korea and Japan must say what the record says -- the ROK JCS's three KADIZ
# visits (05:48-06:13, 06:44-07:07, 12:18-12:36 KST, within 3 min), 8 aircraft (H-6K 2,
# Tu-95MS 4, Su-35S 2) counted as airframes, no territorial violation -- and say that it
# is simulated, with every scenario assumption marked and listed. Also the report's
# usability: --from/--to across midnight, --out created, --observer checked, --tz by
# name, place names as each observer writes them, no "why" when the accounts agree.
source "$(dirname "$0")/testlib.sh"

"$AW" simulate builtin:2022-11-30 --seed 1 --out "$TMP/day.csv" --aircraft-db "$TMP/ac.csv" 2>/dev/null
expect "simulate exits 0" [ $? -eq 0 ]
expect_grep "the simulated file says so in its first line" '^# adizwatch-provenance {"tracks":"simulated","scenario":"2022-11-30"' "$TMP/day.csv"
"$AW" replay --zones builtin:east-asia --db "$TMP/day.db" --advise --aircraft-db "$TMP/ac.csv" \
    --friendly KR,JP "$TMP/day.csv" >/dev/null 2>"$TMP/err"
expect "replay exits 0" [ $? -eq 0 ]
expect_grep "the comment line is skipped, not bad" ' 0 bad lines, 1 skipped lines' "$TMP/err"
expect "the store keeps the provenance" [ "$(sqlite3 "$TMP/day.db" "SELECT tracks FROM provenance")" = simulated ]

OUT="$TMP/out/nested/dir"
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --reconcile JP \
    --aircraft-db "$TMP/ac.csv" --out "$OUT" 2>"$TMP/err"
expect "KR report exits 0, its --out directory created" [ $? -eq 0 -a -f "$OUT/report-KR-2022-11-30.json" ]
KR="$OUT/report-KR-2022-11-30.md"
expect "KR: exactly the JCS's visits, aircraft and basis" $PY - "$OUT/report-KR-2022-11-30.json" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1]))
def kst(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")) + datetime.timedelta(hours=9)
def minutes(hhmm):
    h, m = map(int, hhmm.split(":"))
    return h * 60 + m
kadiz = [i for i in r["incursions"] if i["zone"] == "KADIZ"]
want = [("05:48", "06:13"), ("06:44", "07:07"), ("12:18", "12:36")]
assert len(kadiz) == 3, [(i["enter"], i["exit"]) for i in kadiz]
for i, (a, b) in zip(kadiz, want):
    for t, w in ((i["enter"], a), (i["exit"], b)):
        k = kst(t)
        assert abs(k.hour * 60 + k.minute + k.second / 60 - minutes(w)) <= 3, (t, w)
    assert i["first_seen_inside"] is False and i["exit_how"] == "crossed", i
assert sum(a["count"] for a in kadiz[2]["aircraft"]) == 8
assert r["total_aircraft"] == 8, r["total_aircraft"]
counts = {(c["type"], c["nation"]): c["aircraft"] for c in r["counts"] if c["zone"] == "KADIZ"}
assert counts == {("H-6K", "CN"): 2, ("Tu-95MS", "RU"): 4, ("Su-35S", "RU"): 2}, counts
entries = {c["type"]: c["entries"] for c in r["counts"]}
assert entries["H-6K"] == 6 and entries["Tu-95MS"] == 4, entries
assert r["territorial_incursions"] == 0 and not any(i["territorial"] for i in r["incursions"])
assert r["provenance"]["tracks"] == "simulated", r["provenance"]
assert r["provenance"]["inputs"][0]["scenario"] == "2022-11-30" and r["provenance"]["inputs"][0]["seed"] == 1
# A timeline in time order across zones.
enters = [i["enter"] for i in r["incursions"]]
assert enters == sorted(enters), enters
# Every take-off and landing the scenario assumed is marked, with its reason.
marked = [e for g in r["patrols"] for k in ("takeoffs", "landings") for e in g[k]]
assert marked and all(e.get("basis") == "assumed" and e["reason"] for e in marked), marked
assert r["assumptions"]["items"] and all(a["reason"] for a in r["assumptions"]["items"])
# The same H-6K airframes on both legs.
frames = {a["airframe"] for i in kadiz for a in i["airframes"] if a["track"] in ("T0011", "T0031")}
assert len(frames) == 1, frames
PY
expect_grep "KR: the count in words" '^- KADIZ: 8 aircraft (H-6K ×2, Tu-95MS ×4, Su-35S ×2), ' "$KR"
expect_grep "KR: how the morning pair came in and went out" '^- 05:4[5-9] H-6K ×2 (CN) crossed into KADIZ, .*; 06:1[0-6] crossed out, ' "$KR"
expect_grep "KR: says the tracks are simulated, at the top" '^\*\*Basis:\*\* Simulated tracks: scenario 2022-11-30, seed 1' "$KR"
expect_grep "KR: assumptions listed" '^## Sources and assumptions' "$KR"
expect_grep "KR: an assumed landing abroad is marked" 'landed abroad.*\*\[assumed A[0-9]*\]\*' "$KR"
expect_grep "KR: no territorial violation" '^None entered' "$KR"
expect_grep "KR: Dokdo, as the JCS writes it" 'km [A-Z]* of Dokdo' "$KR"
expect "KR: no Liancourt Rocks or Takeshima in its own text" bash -c "! sed '/^## Sources/,\$d' '$KR' | grep -q 'Liancourt Rocks\|Takeshima'"
expect_grep "KR: why the counts differ, by airframe" '^\*\*Why the counts differ.\*\* KR.s account here: 8 aircraft' "$KR"
expect_no_grep "KR: no JADIZ figure claimed for Japan" 'JP counted' "$KR"
expect_grep "KR: why, from the radar cover too" "never inside JP.s ADIZ (so not near it as this report models it); JP.s radars (the scenario.s simulated sites) could see" "$KR"
expect "KR: each airframe's radar cover in the JSON" $PY -c '
import json, sys
r = json.load(open(sys.argv[1]))
a = r["reconcile"]["airframes"]
assert a and all(x["my_radar_sees"] in (True, False) and x["their_radar_sees"] in (True, False) for x in a), a
assert r["reconcile"]["differ"] is True' "$OUT/report-KR-2022-11-30.json"

"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer JP --reconcile KR \
    --aircraft-db "$TMP/ac.csv" --out "$OUT" 2>"$TMP/err"
expect "JP report exits 0" [ $? -eq 0 ]
JP="$OUT/report-JP-2022-11-30.md"
expect_grep "JP: Takeshima, as the JSO writes it" 'of Takeshima' "$JP"
expect_grep "JP: says the JSO publishes routes, not JADIZ counts" 'does not publish counts of JADIZ entries' "$JP"
expect_grep "JP: the afternoon route through the straits" 'Tu-95MS ×2 (RU), H-6K ×2 (CN) crossed into JADIZ.*via Tsushima Strait.*Miyako Strait' "$JP"

"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --place-names neutral \
    --aircraft-db "$TMP/ac.csv" >"$TMP/neutral.md" 2>/dev/null
expect_grep "neutral names on request" 'of Liancourt Rocks' "$TMP/neutral.md"
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --reconcile KR \
    --aircraft-db "$TMP/ac.csv" >"$TMP/same.md" 2>/dev/null
expect_grep "same accounts: said so" '^Both accounts cover the same 8 aircraft' "$TMP/same.md"
expect_no_grep "same accounts: no 'why the counts differ'" 'Why the counts differ' "$TMP/same.md"

# --tz by name gives the same report as the offset.
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --tz Asia/Seoul \
    --aircraft-db "$TMP/ac.csv" >"$TMP/seoul.md" 2>/dev/null
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --tz +09:00 \
    --aircraft-db "$TMP/ac.csv" >"$TMP/plus9.md" 2>/dev/null
expect "--tz Asia/Seoul: the timeline of +09:00" cmp -s <(sed -n '/^## Timeline/,/^## Terr/p' "$TMP/seoul.md") \
    <(sed -n '/^## Timeline/,/^## Terr/p' "$TMP/plus9.md")
expect_grep "--tz Asia/Seoul: named in the title" '(Asia/Seoul, UTC+09:00)' "$TMP/seoul.md"
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --tz Mars/Olympus >/dev/null 2>"$TMP/err"
expect "--tz unknown name: status 2" [ $? -eq 2 ]
expect_grep "--tz unknown name: says what it wants" 'tz database name like Asia/Seoul' "$TMP/err"
"$AW" events --db "$TMP/day.db" --zone KADIZ --text --tz Asia/Tokyo >"$TMP/ev.txt" 2>/dev/null
expect_grep "events --text --tz by name" '^2022-11-30 05:4[5-9]:[0-9][0-9] +09:00  enter KADIZ' "$TMP/ev.txt"

# A patrol across local midnight is one report: the night Tu-95 pair and the next morning.
"$AW" report --db "$TMP/day.db" --from 2022-11-30T18:00 --to 2022-12-01T06:00 --observer JP \
    --aircraft-db "$TMP/ac.csv" --out "$OUT" 2>"$TMP/err"
expect "--from/--to exits 0" [ $? -eq 0 ]
P="$OUT/report-JP-2022-11-30T1800--2022-12-01T0600.md"
expect_grep "--from/--to: the period in the title" 'report, 2022-11-30 18:00 to 2022-12-01 06:00' "$P"
expect_grep "--from/--to: dated times" '^- 11-30 20:3[0-9] Tu-95MS ×2 (RU) crossed into JADIZ' "$P"

# Bad observers are refused before anything runs.
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer XX >/dev/null 2>"$TMP/err"
expect "unknown observer: status 2" [ $? -eq 2 ]
expect_grep "unknown observer: the owners are listed" "observer 'XX' owns no zone in builtin:east-asia; owners there: " "$TMP/err"
"$AW" report --db "$TMP/day.db" --day 2022-11-30 --observer KR --reconcile ZZ >/dev/null 2>"$TMP/err"
expect "unknown --reconcile: status 2" [ $? -eq 2 ]
finish
