#!/usr/bin/env bash
# report from recorded tracks: a reference case of ../shared (a real SBS capture, skipped
# when absent) replayed into a store and reported must say its tracks are recorded, name
# the input, and carry no assumed item; each visit says how it began (crossed in or first
# seen inside) and ended, and aircraft are counted by ICAO address.
source "$(dirname "$0")/testlib.sh"
CASE="${SHARED:-$TESTS/../../shared}/data/cases/kansai1"
need_shared "$CASE/sbs.csv" "$CASE/zones.geojson"
"$AW" replay --zones "$CASE/zones.geojson" --tz +09:00 --db "$TMP/k.db" "$CASE/sbs.csv" >/dev/null 2>"$TMP/err"
expect "replay of the recorded SBS exits 0" [ $? -eq 0 ]
expect "the store says recorded" [ "$(sqlite3 "$TMP/k.db" "SELECT tracks || ' ' || format FROM provenance")" = "recorded sbs" ]
"$AW" report --db "$TMP/k.db" --zones "$CASE/zones.geojson" --day 2022-01-08 --observer JP \
    --out "$TMP/out" 2>"$TMP/err"
expect "report exits 0" [ $? -eq 0 ]
MD="$TMP/out/report-JP-2022-01-08.md"
expect "the JSON: recorded, the input named, nothing assumed" $PY - "$TMP/out/report-JP-2022-01-08.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
r = json.loads(text)
p = r["provenance"]
assert p["tracks"] == "recorded", p
assert len(p["inputs"]) == 1 and p["inputs"][0]["file"].endswith("kansai1/sbs.csv"), p
assert p["inputs"][0]["format"] == "sbs" and p["inputs"][0]["receiver"] == "receiver clock UTC+09:00", p
assert '"assumed"' not in text, "an assumed item in a recorded report"
assert r["assumptions"]["items"] == [] and r["assumptions"]["general"] == [], r["assumptions"]
inc = r["incursions"]
assert inc, "no incursions"
# How each visit began: both kinds occur in this capture.
assert {i["first_seen_inside"] for i in inc} == {True, False}, [i["first_seen_inside"] for i in inc]
assert all(i["exit_how"] in ("crossed", "lost", "still_inside") for i in inc)
# Aircraft by their ICAO address.
assert all(a["basis"] == "icao" and a["airframe"] == a["track"] for i in inc for a in i["airframes"])
PY
expect_grep "the Markdown says recorded at the top" '^\*\*Basis:\*\* Recorded tracks: .*kansai1/sbs.csv (sbs, receiver clock UTC+09:00)' "$MD"
expect_no_grep "no assumed mark in the Markdown" 'assumed A' "$MD"
expect_grep "a track first seen inside says so" 'first seen inside k1_' "$MD"
expect_grep "the map states its basis too" '"basis": *"Recorded tracks: ' "$TMP/out/map-JP-2022-01-08.json"
finish
