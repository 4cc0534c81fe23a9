#!/usr/bin/env bash
# serve: the HTTP API with curl (shapes, status codes, errors as JSON, the event stream),
# then the web map in Debian's Chromium driven by playwright-core (tests/web_browser.mjs):
# zones drawn, tracks moving, an ADIZ-entry alert, details on click, a screenshot.
#
# The fixture tests/fixtures/web_tracks.csv is synthetic: five tracks on straight lines
# in lon/lat, a report every 20 s for 30 min from 2022-11-30T01:00Z, over the built-in
# East Asia zones; 780a1b (a Chinese ICAO address, no callsign) crosses into KADIZ. The
# expected events -- times, places, counts -- come from tests/zone_oracle.py, which finds
# the crossings with pyproj and shapely, not from adizwatch's own output.
source "$(dirname "$0")/testlib.sh"
WEB="$(cd "$TESTS/../web" && pwd)"
SHOT="$(pwd)/web_map.png"

# scripts/setup.sh installs all of these: without one the test fails, it is not skipped.
require "node" command -v node
require "/usr/bin/chromium" [ -x /usr/bin/chromium ]
require "web/node_modules (npm ci --prefix web)" [ -d "$WEB/node_modules/playwright-core" ]
require "curl" command -v curl
require "python3-pyproj and python3-shapely" $PY -c 'import pyproj, shapely'


# Changes (the replay's speed) need the token: curl shows it as a bearer header, the
# browser signs in at /login. The XSS zone's id and name are markup that must show as text.
TOKEN=web-test-$($PY -c 'import secrets; print(secrets.token_hex(12))')
echo "$TOKEN" >"$TMP/token"
AUTH=(-H "Authorization: Bearer $TOKEN")
cat >"$TMP/xss.geojson" <<'EOF2'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"id": "<img src=x onerror=window.__xss=1>", "kind": "adiz", "owner": "KR",
                "name": "<b>bold</b><img src=y onerror=window.__xss=2>"},
 "geometry": {"type": "Polygon", "coordinates": [[[121, 36], [122.5, 36], [122.5, 37], [121, 37], [121, 36]]]}}]}
EOF2
$PY "$TESTS/zone_oracle.py" "$TESTS/../data/east-asia/zones.geojson" "$TMP/xss.geojson" \
    "$FIXTURES/web_tracks.csv" >"$TMP/oracle.jsonl"
expect "the oracle found the fixture's events ($(wc -l <"$TMP/oracle.jsonl"))" [ -s "$TMP/oracle.jsonl" ]
# oracle PYTHON-EXPRESSION: evaluated with ev = the oracle's events, t(e) = seconds of e.
oracle() {
    $PY -c "
import json, sys
from datetime import datetime
ev = [json.loads(l) for l in open(sys.argv[1])]
t = lambda e: datetime.fromisoformat(e['time'].replace('Z', '+00:00')).timestamp()
print($1)" "$TMP/oracle.jsonl"
}
N_EVENTS=$(oracle 'len(ev)')
KADIZ_ENTRY=$(oracle "[t(e) for e in ev if e['track'] == '780a1b' and e['zone'] == 'KADIZ' and e['type'] == 'enter'][0]")
N_TA_KR=$(oracle "sum(e['zone'] == 'TA-KR' for e in ev)")
# At 10x the 30 min recording lasts 3 min: the browser's tour, which needs the tracks still
# moving, has time to start on a loaded machine (the test then runs it to its end at once).
"$AW" serve --zones "builtin:east-asia,$TMP/xss.geojson" --replay "$FIXTURES/web_tracks.csv" --speed 10 \
    --aircraft-db "$FIXTURES/aircraft_db.csv" --http 127.0.0.1:0 --token-file "$TMP/token" --advise \
    >"$TMP/events.jsonl" 2>"$TMP/err" &
serve_pid=$!
stop_serve() { kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; }
trap 'stop_serve; rm -rf "$TMP"' EXIT
port=""
for _ in $(seq 1 600); do # up to 60 s: a loaded machine, or ThreadSanitizer, is slow to start
    port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/err" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
    [ -n "$port" ] && break
    sleep 0.1
done
expect "serve listens on a free loopback port" [ -n "$port" ]
[ -n "$port" ] || { cat "$TMP/err"; finish; }
BASE="http://127.0.0.1:$port"

# get PATH NAME: body into $TMP/NAME.json, status into $TMP/NAME.code
get() { curl -s -o "$TMP/$2.json" -w '%{http_code}' "${@:3}" "$BASE$1" >"$TMP/$2.code"; }
# shape NAME CODE PYTHON-ASSERTIONS (j is the parsed body)
shape() {
    local code; code=$(cat "$TMP/$1.code")
    if [ "$code" != "$2" ]; then fail "$1: status $code, want $2"; cat "$TMP/$1.json"; return; fi
    if $PY -c "import json,sys; j=json.load(open(sys.argv[1])); $3" "$TMP/$1.json"; then
        ok "$1: $2 and the expected JSON"
    else
        fail "$1: JSON shape"; head -c 600 "$TMP/$1.json"; echo
    fi
}

# The stream first, so that it sees events as they happen.
curl -sN --max-time 40 "$BASE/api/stream" >"$TMP/stream.txt" 2>/dev/null &
curl_pid=$!

get /api/zones zones
shape zones 200 'assert j["type"]=="FeatureCollection" and len(j["features"])>=10
k=[f for f in j["features"] if f["properties"]["id"]=="KADIZ"][0]
assert k["properties"]["kind"]=="adiz" and k["geometry"]["type"] in ("Polygon","MultiPolygon")
t=[f for f in j["features"] if f["properties"]["id"]=="TA-KR"][0]
assert t["properties"]["kind"]=="territorial"'
# 71be17's second report (20 s of replay, 2 s at 10x) gives it a dwell in the KADIZ: waited
# for, as a loaded machine may feed it late.
tracks_fed() {
    get /api/tracks tracks
    $PY -c 'import json, sys
f = {x["id"]: x for x in json.load(open(sys.argv[1]))["features"]}
sys.exit(not (len(f) == 5 and any(z["id"] == "KADIZ" and z["dwell_s"] > 0 for z in f["71be17"]["properties"]["zones"])))' \
        "$TMP/tracks.json" 2>/dev/null
}
wait_until 60 tracks_fed
shape tracks 200 'assert j["type"]=="FeatureCollection" and len(j["features"])==5
f={x["id"]:x for x in j["features"]}["71be17"]
p=f["properties"]
assert f["geometry"]["type"]=="Point" and len(f["geometry"]["coordinates"])==2
assert p["callsign"]=="PEACE1" and p["type"]=="Boeing 737 AEW&C" and p["military"] and p["nation"]=="KR"
assert any(z["id"]=="KADIZ" and z["dwell_s"]>0 and z["kind"]=="adiz" for z in p["zones"])
for k in ("alt_ft","speed_kt","heading_deg","time","label","unidentified","nation_source"): assert k in p, k'
get /api/tracks/780a1b/trail trail
shape trail 200 'assert j["geometry"]["type"]=="LineString" and len(j["geometry"]["coordinates"])>=2
p=j["properties"]
assert p["nation"]=="CN" and p["unidentified"] and "km" in p["where"]
assert len(p["points"])==len(j["geometry"]["coordinates"])
assert [q["time"] for q in p["points"]]==sorted(q["time"] for q in p["points"])'
get /api/tracks/zzzzzz/trail trail404
shape trail404 404 'assert j["error"]=="no such track" and j["status"]==404'
get /api/tracks/780a1b/nothing sub404
shape sub404 404 'assert j["status"]==404'
get /api/stats stats
shape stats 200 'assert j["tracks"]==5 and j["reports"]>0 and j["feed"]["mode"]=="replay"
assert j["feed"]["speed"]==10 and j["feed"]["state"] in ("replaying","done")
for k in ("reports_per_s","events","backlog_s","clock","http"): assert k in j, k'
get /api/report report
shape report 404 'assert "needs the store" in j["error"]'
get /api/nowhere nowhere
shape nowhere 404 'assert j["error"]=="not found"'
get /api/tracks post405 -X POST
shape post405 405 'assert j["error"]=="method not allowed"'
grep -qi '^Allow: GET, HEAD' <(curl -s -D - -o /dev/null -X DELETE "$BASE/api/stats") &&
    ok "405 names the allowed methods" || fail "405 without Allow"
get '/api/events?limit=0' limit400
shape limit400 400 'assert "limit" in j["error"]'
get '/api/events?since=yesterday' since400
shape since400 400 'assert "since" in j["error"]'
get '/api/events?color=red' param400
shape param400 400 'assert "color" in j["error"]'
get '/api/replay?speed=fast' speed400 -X POST "${AUTH[@]}"
shape speed400 400 'assert "speed" in j["error"]'
get /api/events body413 -X POST --data-binary 'x=1'
shape body413 413 'assert j["status"]==413'
expect "the oracle has TA-KR events to page through ($N_TA_KR)" [ "$N_TA_KR" -ge 2 ]
get '/api/events?zone=TA-KR&limit=2' events
shape events 200 'assert j["source"]=="memory" and j["count"]==2 and len(j["events"])==2
assert all(e["zone"]=="TA-KR" and e["zone_kind"]=="territorial" and "where" in e for e in j["events"])'

# The stream: an event arrives as an SSE "zone" message with the place described.
for _ in $(seq 1 200); do grep -q '^event: zone' "$TMP/stream.txt" && break; sleep 0.2; done
expect "stream sent track updates" grep -q '^event: tracks' "$TMP/stream.txt"
if grep -q '^event: zone' "$TMP/stream.txt"; then
    ok "stream delivered a zone event"
    grep -A1 '^event: zone' "$TMP/stream.txt" | grep '^data: ' | head -1 | sed 's/^data: //' >"$TMP/zone_event.json"
    expect "the streamed event has the contract's fields and a place" $PY -c '
import json, sys
e = json.load(open(sys.argv[1]))
assert e["type"] in ("enter", "exit") and e["zone"] and e["track"]
assert " of " in e["where"] or e["where"].startswith("at ")
' "$TMP/zone_event.json"
else
    fail "stream delivered a zone event"
fi
kill "$curl_pid" 2>/dev/null; wait "$curl_pid" 2>/dev/null

# The map in Chromium.
node "$TESTS/web_browser.mjs" "$BASE/" "$SHOT" "$TMP/chromium-profile" "$WEB" "$TOKEN" "$KADIZ_ENTRY" \
    >"$TMP/browser.txt" 2>&1
rc=$?
cat "$TMP/browser.txt"
checks=$((checks + $(grep -c '^ok: \|^FAIL: ' "$TMP/browser.txt")))
failures=$((failures + $(grep -c '^FAIL: ' "$TMP/browser.txt")))
[ $rc -eq 0 ] || [ "$(grep -c '^FAIL: ' "$TMP/browser.txt")" -gt 0 ] || fail "browser test exited $rc"
expect "screenshot written" [ -s "$SHOT" ]

# The replay to its end at full speed (POST /api/replay), then paging through the events
# with since and limit.
get '/api/replay?speed=100000' fast -X POST "${AUTH[@]}"
shape fast 200 'assert j["speed"]==100000 and j["replay"]'
for _ in $(seq 1 600); do
    curl -s "$BASE/api/stats" | grep -q '"state":"done"' && break
    sleep 0.1
done
get /api/stats done
shape done 200 "assert j['feed']['state']=='done' and j['feed']['lines']==456 and j['reports']==455
assert j['events']==$N_EVENTS and j['tracks']==5"
# Zones at run time and the time slider on the map, now that the replay is over (a zone
# change restarts the engine, which would add events to those just counted).
node "$TESTS/web_browser.mjs" "$BASE/" "$TMP/after.png" "$TMP/chromium-profile2" "$WEB" "$TOKEN" "$KADIZ_ENTRY" after \
    >"$TMP/browser2.txt" 2>&1
cat "$TMP/browser2.txt"
checks=$((checks + $(grep -c '^ok: \|^FAIL: ' "$TMP/browser2.txt")))
failures=$((failures + $(grep -c '^FAIL: ' "$TMP/browser2.txt")))
grep -q '^ok: the signed-in page adds a zone' "$TMP/browser2.txt" || fail "the browser run after the replay"

# Paging through 86d1f3's events after 01:00:30: each page is the oracle's next event
# (within the contract's 0.5 s), and the next page starts a millisecond after it.
read -r T1 T2 _ < <(oracle "' '.join(str(t(e)) for e in ev if e['track'] == '86d1f3' and t(e) > 1669770030)")
get '/api/events?since=2022-11-30T01:00:30Z&track=86d1f3&limit=1' page
shape page 200 "e=j['events']
from datetime import datetime
t=datetime.fromisoformat(e[0]['time'].replace('Z','+00:00')).timestamp()
assert j['count']==1 and e[0]['track']=='86d1f3' and abs(t-$T1)<=0.5, (e, $T1)
assert j['last_time']==e[0]['time']"
since=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["last_time"])' "$TMP/page.json")
since=$($PY -c 'import sys; from datetime import datetime, timedelta
t = datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")) + timedelta(milliseconds=1)
print(t.isoformat(timespec="milliseconds").replace("+00:00", "Z"))' "$since")
get "/api/events?since=$since&track=86d1f3&limit=1" page2
shape page2 200 "from datetime import datetime
t=datetime.fromisoformat(j['events'][0]['time'].replace('Z','+00:00')).timestamp()
assert abs(t-$T2)<=0.5, (j, $T2)"

# The rate bound: a client hammering the API gets 429 (JSON) once its burst is spent.
expect "a burst past the rate bound gets 429 as JSON" $PY -c '
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
codes = []
for _ in range(400):
    c.request("GET", "/api/stats")
    r = c.getresponse()
    body = r.read()
    codes.append(r.status)
    if r.status == 429:
        assert json.loads(body)["status"] == 429
print(codes.count(200), "answered,", codes.count(429), "refused")
assert 150 <= codes.count(200) < 400 and codes.count(429) > 0
' "$port"

# Buckets per client address (the server's hash, serve_rate_slot: the top 10 bits of the
# address, host order, times 2654435761). Two clients in one /24 that land in different
# buckets are bounded apart; two that share a bucket cannot reset it by taking turns.
expect "per-address rate buckets: apart when apart, never reset by taking turns" $PY -c '
import http.client, socket, struct, sys
port = int(sys.argv[1])
def slot(ip):
    return ((struct.unpack(">I", socket.inet_aton(ip))[0] * 2654435761) % 2**32) >> 22
used = slot("127.0.0.1")
by_slot = {}
for n in range(2, 2100):  # more addresses than buckets: some share one
    ip = "127.0.%d.%d" % divmod(n, 256)
    if slot(ip) != used and not ip.endswith((".0", ".255")):
        by_slot.setdefault(slot(ip), []).append(ip)
def hammer(ips, n):
    conns = [http.client.HTTPConnection("127.0.0.1", port, source_address=(ip, 0)) for ip in ips]
    codes = []
    for i in range(n):
        c = conns[i % len(conns)]
        c.request("GET", "/api/stats")
        r = c.getresponse()
        r.read()
        codes.append(r.status)
    return codes
a, b = next(v for v in by_slot.values() if len(v) >= 2)[:2]
codes = hammer([a, b], 600)
print(a, b, "sharing:", codes.count(200), "answered,", codes.count(429), "refused")
assert codes.count(200) < 450 and codes.count(429) > 0
c, d = [v[0] for k, v in by_slot.items() if k != slot(a)][:2]
first, second = hammer([c], 400), hammer([d], 150)
print(c, d, "apart:", first.count(429), "refused to the first,", second.count(429), "to the second")
assert first.count(429) > 0 and second.count(429) == 0
' "$port"

kill -TERM "$serve_pid"
wait "$serve_pid"
rc=$?
trap 'rm -rf "$TMP"' EXIT
expect "serve exits 0 on SIGTERM (status $rc)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -30 "$TMP/err"
expect_grep "stopped on the signal" 'stopping on signal' "$TMP/err"
# (--advise prints its advice among the events: set apart here, checked in the browser)
grep -v '^{"type":"\(scramble_advice\|intercept\)"' "$TMP/events.jsonl" >"$TMP/zone_events.jsonl"
expect "--advise printed its advice among the events" grep -q '^{"type":"scramble_advice","track":"780a1b"' "$TMP/events.jsonl"
expect "the events on stdout are the oracle's, all $N_EVENTS of them" \
    $PY "$TESTS/match_events.py" "$TMP/zone_events.jsonl" "$TMP/oracle.jsonl"

# A live feed (--connect, reconnecting when the feed closes) with the store: /api/events
# then answers from SQLite, and holds exactly what went to stdout.
fport=$(free_port)
"$AW" serve --zones "$FIXTURES/zones_basic.geojson" --connect "127.0.0.1:$fport" --tz +09:00 \
    --token-file "$TMP/token" --db "$TMP/live.db" --http 127.0.0.1:0 >"$TMP/live.jsonl" 2>"$TMP/live.err" &
serve_pid=$!
trap 'stop_serve; rm -rf "$TMP"' EXIT
$PY "$TESTS/feed_server.py" "$fport" "$FIXTURES/tracks_basic.sbs" &
feed_pid=$!
# Until the feed's 9 lines are read, over two connections, and counted in the stats (once
# a second), and aaa001's two events are out (stdout holds an event until the store has
# committed it): up to 60 s, a loaded machine is slow.
live_done() {
    lport=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/live.err" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
    [ -n "$lport" ] && [ "$(wc -l <"$TMP/live.jsonl")" -ge 2 ] &&
        [ "$(grep -c 'connected to' "$TMP/live.err")" -ge 2 ] &&
        curl -s "http://127.0.0.1:$lport/api/stats" |
        $PY -c 'import json, sys; sys.exit(json.load(sys.stdin)["feed"]["lines"] != 9)' 2>/dev/null
}
wait_until 60 live_done
BASE="http://127.0.0.1:$lport"
get /api/stats live_stats
shape live_stats 200 'assert j["feed"]["mode"]=="connect" and j["feed"]["state"]=="connected"
assert j["feed"]["speed"] is None and j["tracks"]>=1 and j["feed"]["bad_lines"]>=1'
get '/api/events?limit=100' live_events
n_out=$(wc -l <"$TMP/live.jsonl")
shape live_events 200 "assert j['source']=='store' and j['count']==$n_out and j['count']>=2
assert all(e['track']=='aaa001' for e in j['events'])"
get '/api/replay?speed=5' live_409 -X POST "${AUTH[@]}"
shape live_409 409 'assert "replay" in j["error"]'
kill "$feed_pid" 2>/dev/null; wait "$feed_pid" 2>/dev/null
kill -TERM "$serve_pid"
wait "$serve_pid"
expect "live serve exits 0 on SIGTERM" [ $? -eq 0 ]
trap 'rm -rf "$TMP"' EXIT

# Bad usage: nothing served.
"$AW" serve --zones builtin:east-asia --simulate patrol --http 127.0.0.1:0 2>"$TMP/err2"
expect "--simulate with no such scenario is refused (exit 2)" [ $? -eq 2 ]
expect_grep "--simulate says why" 'patrol: cannot open' "$TMP/err2"
"$AW" serve --zones builtin:east-asia --replay "$FIXTURES/web_tracks.csv" --http 999.0.0.1:80 2>"$TMP/err3"
expect "a bad --http address is refused (exit 2)" [ $? -eq 2 ]
finish
