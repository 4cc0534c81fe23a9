#!/usr/bin/env bash
# The built-in East Asia theater through the CLI: list, show, export (GeoJSON that passes
# `zones check`, KML), `where`, and --zones builtin:east-asia in replay, alone and
# combined with a file. (The 30 Nov 2022 morning track from ../shared: cli_theater_shared.sh.)
source "$(dirname "$0")/testlib.sh"

# From a directory with no data in it: the zones are compiled in.
cd "$TMP"
"$AW" zones list >"$TMP/list" 2>"$TMP/err"
expect "zones list: status 0" [ $? -eq 0 ]
expect "zones list: ten zones" [ "$(wc -l <"$TMP/list")" -eq 10 ]
for id in KADIZ CADIZ-ECS JADIZ TWADIZ TA-JP TA-KR TA-CN TA-TW TA-RU TA-KP; do
    expect_grep "zones list has $id" "^$id " "$TMP/list"
done

"$AW" zones show KADIZ >"$TMP/show" 2>&1
expect_grep "show: source" '^source: ROK Ministry of National Defense' "$TMP/show"
expect_grep "show: accuracy names the Tsushima uncertainty" '^accuracy: .*Tsushima stretch.*3 NM' "$TMP/show"
"$AW" zones show NOPE >/dev/null 2>"$TMP/err"
expect "show of an unknown id: status 2" [ $? -eq 2 ]

"$AW" zones export builtin:east-asia >"$TMP/ea.geojson" 2>"$TMP/err"
expect "export: status 0" [ $? -eq 0 ]
"$AW" zones check "$TMP/ea.geojson" >"$TMP/check" 2>"$TMP/err"
expect "exported GeoJSON passes zones check" [ $? -eq 0 ]
expect_grep "check counts ten zones" '10 zones, valid' "$TMP/check"
"$AW" zones export builtin:east-asia --format kml >"$TMP/ea.kml" 2>"$TMP/err"
expect "KML export: status 0" [ $? -eq 0 ]
expect "KML has ten placemarks" [ "$(grep -o '<Placemark>' "$TMP/ea.kml" | wc -l)" -eq 10 ]
expect_grep "KML densifies rhumb edges (KADIZ along 39N)" '123.5,39 123.55,39 123.6,39' "$TMP/ea.kml"
expect "KML is well-formed XML" $PY -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$TMP/ea.kml"
"$AW" zones export builtin:east-asia --format svg >/dev/null 2>"$TMP/err"
expect "unknown export format: status 2" [ $? -eq 2 ]
"$AW" zones list builtin:atlantis >/dev/null 2>"$TMP/err"
expect "unknown built-in set: status 2" [ $? -eq 2 ]
expect_grep "unknown built-in set is named" 'builtin:atlantis: no such built-in zone set' "$TMP/err"

# where: the ROK JCS wording of 30 Nov 2022 ("126 km NW of Ieodo").
"$AW" where 32.92 124.17 >"$TMP/where" 2>"$TMP/err"
expect "where: status 0" [ $? -eq 0 ]
expect_grep "where names Ieodo" 'km NW of Ieodo' "$TMP/where"
expect_grep "where lists the ADIZs there" '^zones: KADIZ CADIZ-ECS' "$TMP/where"
"$AW" where 37.2417 131.8667 >"$TMP/where" 2>&1
expect_grep "Liancourt Rocks: both claimants' airspace" 'zones: KADIZ.*TA-JP TA-KR' "$TMP/where"
"$AW" where 95 124 >/dev/null 2>"$TMP/err"
expect "where rejects latitude 95 with status 2" [ $? -eq 2 ]
"$AW" where abc 124 >/dev/null 2>"$TMP/err"
expect "where rejects text with status 2" [ $? -eq 2 ]

# replay over the built-in zones: eastbound along 33N across 124E enters the KADIZ there
# (its west edge is the meridian 124E), and no territorial airspace is touched.
cat >"$TMP/east.csv" <<'CSV'
time,id,lat,lon,alt_ft,callsign
1669758000,h6k001,33.0,123.0,25000,H6K1
1669758600,h6k001,33.0,125.0,25000,H6K1
CSV
"$AW" replay --timeout 3600 --zones builtin:east-asia "$TMP/east.csv" >"$TMP/ev.jsonl" 2>"$TMP/err"
expect "replay with builtin zones: status 0" [ $? -eq 0 ]
expect "KADIZ entered at 124E" $PY -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
k = [e for e in ev if e["zone"] == "KADIZ" and e["type"] == "enter"]
assert len(k) == 1 and k[0]["cause"] == "crossing", ev
assert abs(k[0]["lon"] - 124.0) < 1e-6, k
assert not any(e["zone"].startswith("TA-") for e in ev), ev
' "$TMP/ev.jsonl"

# The JADIZ beyond its published points: the 7 Jun 2023 patrol went out through the
# Miyako gap to about 23N 132.6E and back. The old closure of convenience ran along 23N
# there, so the track left and re-entered the JADIZ on an edge nobody published; now the
# turn is inside and the only JADIZ events are where the track crosses the known line.
cat >"$TMP/jun7.csv" <<'CSV'
time,id,lat,lon,alt_ft,callsign
1686103200,h6k007,26.60,124.80,27000,
1686106800,h6k007,24.60,127.20,27000,
1686110400,h6k007,22.95,132.60,27000,
1686111000,h6k007,23.30,133.00,27000,
1686114600,h6k007,24.30,128.00,27000,
CSV
"$AW" replay --timeout 7200 --zones builtin:east-asia "$TMP/jun7.csv" >"$TMP/jun7.jsonl" 2>"$TMP/err"
expect "7 Jun 2023 route replays" [ $? -eq 0 ]
expect "no JADIZ exit or re-entry on open sea south of Okinawa" $PY -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
j = [e for e in ev if e["zone"] == "JADIZ"]
assert [(e["type"], e["cause"]) for e in j] == [("enter", "first_seen")], j
' "$TMP/jun7.jsonl"
# What the reference puts outside the JADIZ: Ogasawara and the Northern Territories.
"$AW" where 27.09 142.19 >"$TMP/where" 2>&1
expect_grep "Chichijima: Japanese territorial airspace" '^zones: TA-JP$' "$TMP/where"
expect_no_grep "Chichijima is outside the JADIZ" JADIZ "$TMP/where"
"$AW" where 44.0 145.8 >"$TMP/where" 2>&1
expect_grep "Kunashir: disputed land, in both claimants' airspace" 'zones: .*TA-JP.*TA-RU\|zones: .*TA-RU.*TA-JP' "$TMP/where"
expect_no_grep "Kunashir is outside the JADIZ" JADIZ "$TMP/where"
"$AW" zones show JADIZ >"$TMP/show" 2>&1
expect_grep "show: the JADIZ says which parts are drawn by rule" '^accuracy: .*DRAWN BY RULE' "$TMP/show"

# Several zone sets at once.
"$AW" zones list "builtin:east-asia,$FIXTURES/zones_basic.geojson" >"$TMP/list2" 2>"$TMP/err"
expect "combined specs: status 0" [ $? -eq 0 ]
expect "combined specs: 15 zones" [ "$(wc -l <"$TMP/list2")" -eq 15 ]
"$AW" zones list "builtin:east-asia,builtin:east-asia" >/dev/null 2>"$TMP/err"
expect "the same set twice: refused (duplicate ids)" [ $? -eq 2 ]
expect_grep "duplicate ids named" 'duplicate id' "$TMP/err"
"$AW" zones list "builtin:east-asia,$FIXTURES/zones_bad.geojson" >/dev/null 2>"$TMP/err"
expect "combined with a bad file: status 2" [ $? -eq 2 ]
expect_grep "the bad file's own problems are reported" 'zones_bad.geojson: feature 0 (id "open")' "$TMP/err"

finish
