#!/usr/bin/env bash
# serve: zones at run time. PUT /api/zones/{id} and DELETE /api/zones/{id} need the token,
# are validated like `zones check` (422 with the problems), change the events of the next
# reports, are logged, and are kept across a restart with --db (DB.zones.json).
#
# The reports come through a FIFO replayed at full speed, so that each line is written
# only after the zone change it must see.
source "$(dirname "$0")/testlib.sh"
require "curl (scripts/setup.sh installs it)" command -v curl
TOKEN=zones-$($PY -c 'import secrets; print(secrets.token_hex(12))')
echo "$TOKEN" >"$TMP/token"
AUTH=(-H "Authorization: Bearer $TOKEN")
square() { # ID LAT LON: a 1-degree square zone as a Feature
    printf '{"type": "Feature", "properties": {"id": "%s", "kind": "other", "owner": "XX"}, "geometry": {"type": "Polygon", "coordinates": [[[%s, %s], [%s, %s], [%s, %s], [%s, %s], [%s, %s]]]}}' \
        "$1" "$3" "$2" "$(($3 + 1))" "$2" "$(($3 + 1))" "$(($2 + 1))" "$3" "$(($2 + 1))" "$3" "$2"
}
echo "{\"type\": \"FeatureCollection\", \"features\": [$(square BASE1 10 10)]}" >"$TMP/base.geojson"
square NEW1 20 20 >"$TMP/new1.json"

pid=""
stop_serve() { [ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; pid=""; }
trap 'exec 3>&- 2>/dev/null; stop_serve; rm -rf "$TMP"' EXIT
# start NAME: serve over the FIFO $TMP/NAME.fifo, writer on fd 3; port into $port
start() {
    mkfifo "$TMP/$1.fifo"
    "$AW" serve --zones "$TMP/base.geojson" --replay "$TMP/$1.fifo" --format csv --speed 100000 --db "$TMP/z.db" \
        --token-file "$TMP/token" --http 127.0.0.1:0 >"$TMP/$1.jsonl" 2>"$TMP/$1.err" &
    pid=$!
    exec 3>"$TMP/$1.fifo"
    echo "time,id,lat,lon,alt_ft,callsign,speed_kt" >&3
    port=""
    for _ in $(seq 1 600); do # up to 60 s (ThreadSanitizer, a loaded machine)
        port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/$1.err" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { fail "$1: serve did not start"; cat "$TMP/$1.err"; finish; }
    B="http://127.0.0.1:$port"
}
# report TIME ID LAT LON: one line to the feed
report() { printf '2022-11-30T01:%s:00Z,%s,%s,%s,30000,,400\n' "$1" "$2" "$3" "$4" >&3; }
# events NAME PATTERN COUNT: wait until stdout holds COUNT lines matching PATTERN (up to
# 60 s: stdout holds an event until the store commits it, once a second on a feed thread
# that a loaded machine or ThreadSanitizer slows)
events() { for _ in $(seq 1 600); do [ "$(grep -c -- "$2" "$TMP/$1.jsonl")" -ge "$3" ] && return 0; sleep 0.1; done; return 1; }
code() {
    local want=$1 d=$2; shift 2
    local got; got=$(curl -s -o "$TMP/body" -w '%{http_code}' "$@")
    if [ "$got" = "$want" ]; then ok "$d ($got)"; else fail "$d: status $got, want $want"; cat "$TMP/body"; echo; fi
}

start one
report 00 t1 20.5 19.5     # west of where NEW1 will be
report 01 t3 10.5 10.5     # inside BASE1
expect "BASE1 works before any change" events one '"track":"t3","zone":"BASE1"' 1

code 401 "PUT without the token is refused" -X PUT --data-binary @"$TMP/new1.json" "$B/api/zones/NEW1"
code 403 "PUT from a foreign page is refused" -X PUT "${AUTH[@]}" -H "Origin: http://evil.example" \
    --data-binary @"$TMP/new1.json" "$B/api/zones/NEW1"
echo '{"type": "Feature", "properties": {"kind": "other", "floor_ft": 9000, "ceiling_ft": 1000}, "geometry": {"type": "Polygon", "coordinates": [[[20, 20], [21, 20], [20, 20]]]}}' >"$TMP/bad.json"
code 422 "an invalid zone is refused" -X PUT "${AUTH[@]}" --data-binary @"$TMP/bad.json" "$B/api/zones/BAD1"
expect "with its problems listed, as zones check gives them" $PY -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["status"] == 422 and j["problems"], j
assert all(p["problem"] for p in j["problems"]), j
print("  problems:", "; ".join(p["problem"] for p in j["problems"]))' "$TMP/body"
code 422 "a Feature whose id differs from the URL is refused" -X PUT "${AUTH[@]}" --data-binary @"$TMP/new1.json" "$B/api/zones/OTHER"
code 422 "not JSON is refused" -X PUT "${AUTH[@]}" --data-binary 'nope' "$B/api/zones/NEW1"
code 201 "PUT NEW1 with the token adds it" -X PUT "${AUTH[@]}" --data-binary @"$TMP/new1.json" "$B/api/zones/NEW1"
curl -s "$B/api/zones" >"$TMP/zones.json"
expect "/api/zones has NEW1 and BASE1" $PY -c '
import json, sys
ids = sorted(f["properties"]["id"] for f in json.load(open(sys.argv[1]))["features"])
assert ids == ["BASE1", "NEW1"], ids' "$TMP/zones.json"

report 02 t1 20.5 20.5     # now inside NEW1
report 03 t1 20.5 21.5     # and out again, east
expect "the next reports see NEW1: t1 enters it" events one '"type":"enter","cause":"first_seen","track":"t1","zone":"NEW1"' 1
expect "and leaves it, crossing" events one '"type":"exit","cause":"crossing","track":"t1","zone":"NEW1"' 1

code 200 "DELETE BASE1" -X DELETE "${AUTH[@]}" "$B/api/zones/BASE1"
code 404 "DELETE of no such zone" -X DELETE "${AUTH[@]}" "$B/api/zones/NOPE"
report 04 t4 10.5 10.5     # inside where BASE1 was
report 05 t1 20.5 20.6     # back into NEW1: still watched
expect "NEW1 still watched after the deletion" events one '"track":"t1","zone":"NEW1"' 3
expect_no_grep "no event for BASE1 after its deletion" '"track":"t4"' "$TMP/one.jsonl"
expect_grep "the changes are logged" 'zone NEW1 added' "$TMP/one.err"
expect_grep "the deletion is logged" 'zone BASE1 deleted' "$TMP/one.err"
expect "the changes are kept beside the store" [ -s "$TMP/z.db.zones.json" ]
exec 3>&-
stop_serve

# A restart with the same --db: the zones are those in force when it stopped.
start two
expect_grep "the restart says it uses the kept changes" 'changes kept in' "$TMP/two.err"
curl -s "$B/api/zones" >"$TMP/zones2.json"
expect "after a restart /api/zones has NEW1 and not BASE1" $PY -c '
import json, sys
ids = sorted(f["properties"]["id"] for f in json.load(open(sys.argv[1]))["features"])
assert ids == ["NEW1"], ids' "$TMP/zones2.json"
report 10 t5 20.5 20.5
report 11 t6 10.5 10.5
report 12 t7 20.5 20.5     # after t6: once its event is out, t6 has been through the engine
expect "after a restart the events follow the kept zones" events two '"track":"t5","zone":"NEW1"' 1
expect "and a report after t6's is seen" events two '"track":"t7","zone":"NEW1"' 1
expect_no_grep "and BASE1 stays deleted" '"track":"t6"' "$TMP/two.jsonl"
exec 3>&-
stop_serve
finish
