#!/usr/bin/env bash
# serve, probed as an attacker on loopback (docs/web.md, "Security"): a foreign Host and a
# cross-origin POST are refused; changes need the token (bearer or the login cookie) and
# the server is read-only without --token-file; queries are strict (decimal numbers, no
# NUL, no repeats); oversized heads get 431; 200 slow connections do not lock a normal
# client out and are cut; a disconnected stream client frees its slot; the log is
# rate-limited; a non-loopback bind needs a token; TLS with a self-signed certificate.
source "$(dirname "$0")/testlib.sh"
require "curl (scripts/setup.sh installs it)" command -v curl
if [ -n "${TSAN_OPTIONS:-}" ]; then # a race check, where timings mean nothing
    export SERVE_PROBE_BOUND_S=10
    echo "(under ThreadSanitizer: the slowloris answer bound is ${SERVE_PROBE_BOUND_S} s, not 1 s)"
fi
TOKEN=tok-$($PY -c 'import secrets; print(secrets.token_hex(12))')
echo "$TOKEN" >"$TMP/token"
pids=()
stop_all() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap 'stop_all; rm -rf "$TMP"' EXIT

# start NAME ARGS...: serve in the background; its port into $port
start() {
    local name=$1; shift
    "$AW" serve --zones builtin:east-asia --replay "$FIXTURES/web_tracks.csv" --http 127.0.0.1:0 "$@" \
        >/dev/null 2>"$TMP/$name.err" &
    pids+=($!)
    port=""
    for _ in $(seq 1 600); do # up to 60 s (ThreadSanitizer, a loaded machine)
        port=$(grep -o 'https\?://127.0.0.1:[0-9]*/' "$TMP/$name.err" | head -1 | sed 's|.*:\([0-9]*\)/|\1|')
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { fail "$name: serve did not start"; cat "$TMP/$name.err"; finish; }
}
# code EXPECTED DESCRIPTION CURL-ARGS...: the status must be EXPECTED
code() {
    local want=$1 d=$2; shift 2
    local got; got=$(curl -s -o "$TMP/body" -w '%{http_code}' "$@")
    if [ "$got" = "$want" ]; then ok "$d ($got)"; else fail "$d: status $got, want $want"; cat "$TMP/body"; echo; fi
}
speed() { curl -s "http://127.0.0.1:$port/api/replay" | $PY -c 'import json,sys; print(json.load(sys.stdin)["speed"])'; }

start main --speed 2 --token-file "$TMP/token" --allow-host map.example.org --friendly JP
B="http://127.0.0.1:$port"
AUTH=(-H "Authorization: Bearer $TOKEN")
expect_grep "the banner says changes need the token" 'changes need the token' "$TMP/main.err"

# Host
code 200 "own address as Host" "$B/api/stats"
code 200 "localhost as Host" -H "Host: localhost:$port" "$B/api/stats"
code 200 "an --allow-host name as Host" -H "Host: map.example.org" "$B/api/stats"
code 421 "a foreign Host (DNS rebinding) is refused" -H "Host: evil.example:$port" "$B/api/stats"
code 421 "our name on another port is refused" -H "Host: 127.0.0.1:1" "$B/api/stats"
code 421 "a foreign Host is refused for the map page too" -H "Host: evil.example" "$B/"

# Origin and token
code 401 "a change without the token is refused" -X POST "$B/api/replay?speed=5"
code 401 "a change with a wrong token is refused" -X POST -H "Authorization: Bearer ${TOKEN}x" "$B/api/replay?speed=5"
code 403 "a cross-origin POST is refused, even with the token" -X POST "${AUTH[@]}" \
    -H "Origin: http://evil.example" "$B/api/replay?speed=5"
code 403 "a POST from another local port's page is refused" -X POST "${AUTH[@]}" \
    -H "Origin: http://127.0.0.1:1" "$B/api/replay?speed=5"
expect "refused changes left the speed alone" [ "$(speed)" = "2.0" ]
code 200 "a change with the bearer token is taken" -X POST "${AUTH[@]}" "$B/api/replay?speed=7"
expect "the speed changed" [ "$(speed)" = "7.0" ]
code 200 "a change from our own page with the token is taken" -X POST "${AUTH[@]}" \
    -H "Origin: http://127.0.0.1:$port" "$B/api/replay?speed=8"

# The login page and its cookie
code 200 "the login page" "$B/login"
code 403 "login with a wrong token" -X POST --data "token=nope" "$B/login"
code 403 "login from a foreign page" -X POST --data "token=$TOKEN" -H "Origin: http://evil.example" "$B/login"
curl -s -D "$TMP/login.h" -o /dev/null -X POST --data "token=$TOKEN" -H "Origin: http://127.0.0.1:$port" "$B/login"
expect "login answers 303 to the map" grep -q '^HTTP/1.1 303' "$TMP/login.h"
expect "the session cookie is HttpOnly and SameSite=Strict" grep -qi '^Set-Cookie: aw_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' "$TMP/login.h"
expect_no_grep "the cookie is not the token" "$TOKEN" "$TMP/login.h"
COOKIE=$(grep -io 'aw_session=[0-9a-f]*' "$TMP/login.h")
code 200 "the cookie and our Origin allow a change" -X POST -b "$COOKIE" -H "Origin: http://127.0.0.1:$port" "$B/api/replay?speed=9"
code 401 "the cookie without an Origin does not" -X POST -b "$COOKIE" "$B/api/replay?speed=3"
code 403 "the cookie from a foreign page does not" -X POST -b "$COOKIE" -H "Origin: http://localhost:1" "$B/api/replay?speed=3"
curl -s -b "$COOKIE" "$B/api/session" >"$TMP/session_in.json"
curl -s "$B/api/session" >"$TMP/session_out.json"
expect "/api/session: write with the cookie, not without" $PY -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["write"] is True and b["write"] is False and a["token"] and b["token"]' "$TMP/session_in.json" "$TMP/session_out.json"
expect "the page carries a Content-Security-Policy" bash -c \
    "curl -s -D - -o /dev/null '$B/' | grep -qi \"^Content-Security-Policy: default-src 'self'\""

# Strict queries
code 400 "speed=0x10 is not a decimal number" -X POST "${AUTH[@]}" "$B/api/replay?speed=0x10"
code 400 "speed=1e3 is not a plain decimal" -X POST "${AUTH[@]}" "$B/api/replay?speed=1e3"
code 400 "speed=-1 is refused" -X POST "${AUTH[@]}" "$B/api/replay?speed=-1"
code 400 "track=%00x (a NUL) is refused" "$B/api/events?track=%00x"
code 400 "a NUL in the path is refused" "$B/api/tracks/%00x/trail"
code 400 "a repeated parameter is refused" "$B/api/events?limit=5&limit=6"
code 400 "limit=0x10 is refused" "$B/api/events?limit=0x10"
code 400 "a parameter where none is taken is refused" "$B/api/stats?x=1"
code 200 "a plain query is answered" "$B/api/events?limit=5&zone=KADIZ"
code 400 "seek=yesterday is not a time" -X POST "${AUTH[@]}" "$B/api/replay?seek=yesterday"
code 401 "a seek without the token is refused" -X POST "$B/api/replay?seek=2022-11-30T01:00:00Z"

# --friendly JP: Japanese aircraft are not alerted anywhere; the owner's own never are.
curl -s "$B/api/events?limit=100" >"$TMP/ev.json"
expect "events carry the alert flag: own and --friendly traffic not alerted, others alerted" $PY -c '
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
assert ev, "no events yet"
for e in ev:
    own = e["nation"] and e["nation"] == e["zone_owner"]
    assert e["alert"] == (not own and e["nation"] != "JP"), e
assert any(e["alert"] for e in ev) and any(not e["alert"] for e in ev)' "$TMP/ev.json"

# Oversized heads, a disconnected stream client, slow clients
$PY "$TESTS/serve_probe.py" heads "$port" >"$TMP/heads.txt" 2>&1
cat "$TMP/heads.txt"
checks=$((checks + $(grep -c '^ok: \|^FAIL: ' "$TMP/heads.txt")))
failures=$((failures + $(grep -c '^FAIL: ' "$TMP/heads.txt")))
code 200 "speed to the end of the replay (a quiet feed for the stream test)" -X POST "${AUTH[@]}" "$B/api/replay?speed=100000"
for _ in $(seq 1 600); do curl -s "$B/api/stats" | grep -q '"state":"done"' && break; sleep 0.1; done
for probe in stream-gone slowloris; do
    $PY "$TESTS/serve_probe.py" $probe "$port" >"$TMP/$probe.txt" 2>&1
    cat "$TMP/$probe.txt"
    checks=$((checks + $(grep -c '^ok: \|^FAIL: ' "$TMP/$probe.txt")))
    failures=$((failures + $(grep -c '^FAIL: ' "$TMP/$probe.txt")))
    grep -q '^\(ok\|FAIL\): ' "$TMP/$probe.txt" || fail "$probe probe ran"
done
expect "/api/stats counts the 200 connections cut for a late head" $PY -c '
import json, sys, urllib.request
j = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % sys.argv[1]))
assert j["http"]["heads_cut"] >= 200, j["http"]' "$port"

# The log is rate-limited: 150 refused requests, at most 20 lines in 10 s (a burst of 20,
# then 2 a second: the bound grows with the time the loop takes on a loaded machine),
# the rest counted. (Every log line shares the bound: those before the loop are not its.)
n0=$(grep -c 'refused Host' "$TMP/main.err")
t0=$(date +%s.%N)
for _ in $(seq 1 150); do curl -s -o /dev/null -H "Host: evil.example" "$B/api/stats"; done
sleep 1.2
curl -s -o /dev/null -H "Host: evil2.example" "$B/api/stats"
bound=$($PY -c 'import sys, time; print(int(20 + 2 * (time.time() - float(sys.argv[1])) + 1))' "$t0")
n=$(($(grep -c 'refused Host' "$TMP/main.err") - n0))
expect "refused requests logged at most $bound times, not 151 ($n)" [ "$n" -le "$bound" -a "$n" -lt 100 ]
expect_grep "the dropped lines are counted" 'log lines dropped' "$TMP/main.err"

# Read-only without --token-file
start ro --speed 2
code 403 "no --token-file: read-only, even for a bearer" -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$port/api/replay?speed=5"
expect_grep "the banner says read-only" 'read-only: no --token-file' "$TMP/ro.err"

# A non-loopback bind needs the token; a bad token file is refused.
"$AW" serve --zones builtin:east-asia --replay "$FIXTURES/web_tracks.csv" --http 0.0.0.0:0 2>"$TMP/any.err"
expect "--http 0.0.0.0 without --token-file is refused (exit 2)" [ $? -eq 2 ]
expect_grep "and says why" 'reachable from other machines: give --token-file' "$TMP/any.err"
echo short >"$TMP/short"
"$AW" serve --zones builtin:east-asia --replay "$FIXTURES/web_tracks.csv" --http 127.0.0.1:0 \
    --token-file "$TMP/short" 2>"$TMP/short.err"
expect "a short token is refused (exit 2)" [ $? -eq 2 ]
expect_grep "and says why" 'at least 16 characters' "$TMP/short.err"

# TLS: a self-signed certificate for 127.0.0.1.
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
    start tls --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" --token-file "$TMP/token"
    expect_grep "serves https" "https://127.0.0.1:$port/" "$TMP/tls.err"
    code 200 "an https request with the certificate" --cacert "$TMP/cert.pem" "https://127.0.0.1:$port/api/stats"
    curl -s -D "$TMP/tls_login.h" -o /dev/null --cacert "$TMP/cert.pem" -X POST --data "token=$TOKEN" \
        "https://127.0.0.1:$port/login"
    expect "over TLS the cookie is Secure" grep -qi '^Set-Cookie: aw_session=.*; Secure' "$TMP/tls_login.h"
    expect "plain http to the TLS port gets no answer" bash -c "! curl -s -m 3 -o /dev/null http://127.0.0.1:$port/api/stats"
else
    echo "(no openssl: TLS not tested)"
fi
finish
