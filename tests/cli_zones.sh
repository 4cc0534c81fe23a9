#!/usr/bin/env bash
# zones check, and replay refusing a bad zone file before it reads any track.
source "$(dirname "$0")/testlib.sh"

"$AW" zones check "$FIXTURES/zones_basic.geojson" >"$TMP/out" 2>"$TMP/err"
expect "valid file: status 0" [ $? -eq 0 ]
expect_grep "lists the zones" '5 zones, valid' "$TMP/out"
expect_grep "shows the band" '10000-20000 ft' "$TMP/out"

"$AW" zones check "$FIXTURES/zones_bad.geojson" >"$TMP/out" 2>"$TMP/err"
expect "bad file: status 2" [ $? -eq 2 ]
expect_grep "unclosed ring" 'feature 0 (id "open"): ring 0 is not closed' "$TMP/err"
expect_grep "short ring" 'feature 1 (id "short"): ring 0 has 3 positions' "$TMP/err"
expect_grep "self-intersection" 'feature 2 (id "bowtie"): self-intersection' "$TMP/err"
expect_grep "bad coordinates" 'feature 3 (id "faraway"): ring 0 position 2' "$TMP/err"
expect_grep "missing id" 'feature 4: missing id' "$TMP/err"
expect_grep "duplicate id" 'feature 5 (id "open"): duplicate id' "$TMP/err"
expect_grep "bad edges" 'feature 6 (id "upside"): edges must be' "$TMP/err"
expect_grep "not a polygon" 'feature 7 (id "line"): geometry must be a Polygon' "$TMP/err"

# replay refuses it with status 2 and reads nothing: a FIFO with no writer would block
# forever if replay opened it.
mkfifo "$TMP/fifo"
timeout 60 "$AW" replay --zones "$FIXTURES/zones_bad.geojson" "$TMP/fifo" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect "replay refuses a bad zone file with status 2" [ $rc -eq 2 ]
expect "no event printed" [ ! -s "$TMP/out" ]
expect_grep "says nothing was run" 'zone file refused; nothing was run' "$TMP/err"

echo '{"type": "FeatureCollection", "features": [' >"$TMP/broken.json"
"$AW" zones check "$TMP/broken.json" >/dev/null 2>"$TMP/err"
expect "unparseable JSON: status 2" [ $? -eq 2 ]
expect_grep "names the JSON error" 'line' "$TMP/err"
finish
