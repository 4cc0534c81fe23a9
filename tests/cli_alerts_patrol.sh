#!/usr/bin/env bash
# Patrol events as alerts: the simulated 30 Nov 2022 day with rules selecting zone events,
# landings abroad and groups (tests/fixtures/alerts_patrol.ini). The expected set is
# worked out apart from the alert path: zone events from what replay prints, patrol
# events from what `adizwatch patrol` finds on the store's trails (tests/alerts_check.py).
# replay delivers it exactly to a file and to a real mosquitto that takes only a user and
# password (mosquitto_passwd), over TCP and over TLS (mqtts://, the CA checked); ids are
# stable across runs; each alert's basis
# (simulated / assumed) is the scenario's; --friendly drops a nation's; a wrong password
# leaves the alerts queued (exit 3). watch, fed live, alerts the patrol events settled by
# the end of the feed, and only those.
source "$(dirname "$0")/testlib.sh"
require "mosquitto" eval 'command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ]'
require "mosquitto_sub, mosquitto_passwd (mosquitto-clients, mosquitto)" \
    eval 'command -v mosquitto_sub >/dev/null && command -v mosquitto_passwd >/dev/null'
require "openssl" command -v openssl
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
source "$TESTS/alerts_lib.sh"
cd "$TMP" || exit 1
P="$FIXTURES/alerts_patrol.ini"
"$AW" simulate builtin:2022-11-30 --format csv --out "$TMP/day2.csv" --aircraft-db "$TMP/db.csv" 2>/dev/null
expect "the simulated day is the same with its aircraft database" cmp -s "$TMP/day.csv" "$TMP/day2.csv"

# What the store's trails give: replay --db, then adizwatch patrol.
"$AW" replay --zones "$ZONES" --db "$TMP/trails.db" "$TMP/day2.csv" >/dev/null 2>&1
"$AW" patrol --db "$TMP/trails.db" --aircraft-db "$TMP/db.csv" >"$TMP/patrol.jsonl" 2>/dev/null
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" >"$TMP/pexpected.jsonl"
expect "the day has landings abroad" grep -q '"landing"' "$TMP/pexpected.jsonl"
expect "and groups" grep -q '"group"' "$TMP/pexpected.jsonl"
cat "$TMP/pexpected.jsonl" >>"$TMP/expected.jsonl" # the zone events' (alerts_lib.sh), and these
NEXPECTED=$(wc -l <"$TMP/expected.jsonl")

# mosquitto with a password file, on a plain listener and a TLS one (a certificate made
# here for 127.0.0.1, and another that is not the broker's).
port=$(free_port); tport=$(free_port)
mkdir -p "$TMP/mq"
mosquitto_passwd -b -c "$TMP/passwd" watcher 's3cret word' 2>/dev/null
for c in server other; do
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/$c.key" -out "$TMP/$c.crt" -days 1 \
        -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
done
cat >"$TMP/mosquitto.conf" <<CONF
listener $port 127.0.0.1
listener $tport 127.0.0.1
certfile $TMP/server.crt
keyfile $TMP/server.key
allow_anonymous false
password_file $TMP/passwd
user $(id -un)
CONF
broker=""; sub=""; sim=""; w=""
cleanup() { for p in $w $sim $broker $sub; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT
"$MOSQUITTO" -c "$TMP/mosquitto.conf" 2>>"$TMP/broker.log" & broker=$!
wait_for "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", $port))' 2>/dev/null"
mosquitto_sub -h 127.0.0.1 -p "$port" -u watcher -P 's3cret word' -t 'adiz/#' -F '%t %p' -q 1 \
    >>"$TMP/sub.raw" 2>/dev/null & sub=$!
wait_for "mosquitto_pub -h 127.0.0.1 -p $port -u watcher -P 's3cret word' -t adiz/probe -m x -q 1 2>/dev/null; grep -q '^adiz/probe' '$TMP/sub.raw'" 600
expect "mosquitto refuses a client without the password" \
    eval "! mosquitto_pub -h 127.0.0.1 -p $port -t adiz/x -m x -q 1 2>/dev/null"
{ cat "$P"; printf '\n[output broker]\nurl = mqtt://127.0.0.1:%s/adiz/alerts\nusername = watcher\npassword = s3cret word\n' "$port"; } >"$TMP/rules.ini"

"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/rules.ini" \
    --output "file:$TMP/a.jsonl" --spool "$TMP/a.sqlite" "$TMP/day2.csv" >/dev/null 2>"$TMP/err"
expect "replay with patrol rules exits 0" [ $? -eq 0 ]
expect_grep "and counts the patrol events" 'alerts: [0-9]* events ([1-9][0-9]* of the patrol analysis)' "$TMP/err"
check_alerts "file: zone events, landings abroad and groups, exactly" "$TMP/a.jsonl"
wait_for "[ \$(grep -c '^adiz/alerts ' $TMP/sub.raw) -ge $NEXPECTED ]" 600
grep '^adiz/alerts ' "$TMP/sub.raw" | cut -d' ' -f2- >"$TMP/mqtt.jsonl"
check_alerts "mosquitto with a password: the same set, the same ids" "$TMP/mqtt.jsonl" "$TMP/a.jsonl"
if $PY "$TESTS/alerts_check.py" basis "$TMP/day2.csv" "$TMP/a.jsonl" >"$TMP/basis.out" 2>&1; then
    ok "each alert's basis is the scenario's: $(cat "$TMP/basis.out")"
else
    fail "each alert's basis is the scenario's"; cat "$TMP/basis.out"
fi
expect_grep "a landing abroad is typed so" '"type":"landing_abroad".*"zone_kind":"airfield"' "$TMP/a.jsonl"

# Another run into another outbox (the store): the same ids.
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$P" --db "$TMP/s.db" \
    --output "file:$TMP/b.jsonl" "$TMP/day2.csv" >/dev/null 2>&1
expect "replay --db exits 0" [ $? -eq 0 ]
check_alerts "replay --db: the same alerts, the same ids" "$TMP/b.jsonl" "$TMP/a.jsonl"

# Every patrol type: exactly every event the store's analysis finds.
printf '[rule every patrol type]\nevents = takeoff, landing, group, escort, strait, mission\n' >"$TMP/all.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/all.ini" \
    --output "file:$TMP/all.jsonl" --spool "$TMP/all.sqlite" "$TMP/day2.csv" >/dev/null 2>&1
cp "$TMP/expected.jsonl" "$TMP/expected.selected"
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" "" "" all >"$TMP/expected.jsonl"
expect "every type is there" [ "$(cut -d'"' -f2 "$TMP/expected.jsonl" | sort -u | wc -l)" -eq 6 ]
check_alerts "every patrol type: each event of adizwatch patrol, once" "$TMP/all.jsonl"
if $PY "$TESTS/alerts_check.py" basis "$TMP/day2.csv" "$TMP/all.jsonl" >"$TMP/basis.out" 2>&1; then
    ok "and each one's basis: $(cat "$TMP/basis.out")"
else
    fail "and each one's basis"; cat "$TMP/basis.out"
fi
mv "$TMP/expected.selected" "$TMP/expected.jsonl"
# The same reports without the simulator's provenance line: recorded, as far as anyone knows.
grep -v '^# adizwatch-provenance' "$TMP/day2.csv" >"$TMP/recorded.csv"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/all.ini" \
    --output "file:$TMP/rec.jsonl" --spool "$TMP/rec.sqlite" "$TMP/recorded.csv" >/dev/null 2>&1
if $PY "$TESTS/alerts_check.py" basis "$TMP/recorded.csv" "$TMP/rec.jsonl" >"$TMP/basis.out" 2>&1 &&
   [ "$(wc -l <"$TMP/rec.jsonl")" -eq "$(wc -l <"$TMP/all.jsonl")" ]; then
    ok "an input without provenance: $(cat "$TMP/basis.out")"
else
    fail "an input without provenance is recorded"; cat "$TMP/basis.out"
fi

# A wrong password: nothing is acknowledged, the alerts stay queued (exit 3).
sed 's/^password = .*/password = wrong/' "$TMP/rules.ini" >"$TMP/wrong.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/wrong.ini" \
    --spool "$TMP/wrong.sqlite" --deliver-timeout 2 "$TMP/day2.csv" >/dev/null 2>"$TMP/err"
expect "a wrong MQTT password leaves the alerts queued (exit 3)" [ $? -eq 3 ]
expect_grep "saying how many" "alerts: $NEXPECTED still queued" "$TMP/err"

# mqtts://: the broker's certificate checked against tls_ca; another CA is refused.
tls_rules() { printf '[rule a]\nevents = landing_abroad, group\n[output tls]\nurl = mqtts://127.0.0.1:%s/adiz/tls\nusername = watcher\npassword = s3cret word\ntls_ca = %s\n' "$tport" "$1"; }
tls_rules "$TMP/server.crt" >"$TMP/tls.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/tls.ini" \
    --spool "$TMP/tls.sqlite" "$TMP/day2.csv" >/dev/null 2>"$TMP/err"
expect "replay to mqtts:// exits 0" [ $? -eq 0 ]
NTLS=$(wc -l <"$TMP/pexpected.jsonl")
wait_for "[ \$(grep -c '^adiz/tls ' $TMP/sub.raw) -ge $NTLS ]" 600
grep '^adiz/tls ' "$TMP/sub.raw" | cut -d' ' -f2- >"$TMP/tls.jsonl"
if $PY "$TESTS/alerts_check.py" live "$TMP/pexpected.jsonl" "$TMP/tls.jsonl" "$TMP/patrol.jsonl" "$TMP/a.jsonl" >"$TMP/check.out" 2>&1 &&
   [ "$(wc -l <"$TMP/tls.jsonl")" -eq "$NTLS" ]; then
    ok "mqtts:// with a password: the landings abroad and groups, the same ids: $(tail -1 "$TMP/check.out")"
else
    fail "mqtts:// with a password"; cat "$TMP/check.out"
fi
tls_rules "$TMP/other.crt" >"$TMP/tls2.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/tls2.ini" \
    --spool "$TMP/tls2.sqlite" --deliver-timeout 2 "$TMP/day2.csv" >/dev/null 2>"$TMP/err"
expect "a broker whose certificate the CA did not sign gets nothing (exit 3)" [ $? -eq 3 ]
expect "and nothing more arrived" [ "$(grep -c '^adiz/tls ' "$TMP/sub.raw")" -eq "$NTLS" ]

# --friendly CN, patrol rules alone: no Chinese aircraft's landing or group.
printf '[rule a]\nevents = landing_abroad, group\n' >"$TMP/patrol_only.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/patrol_only.ini" --friendly CN \
    --output "file:$TMP/f.jsonl" --spool "$TMP/f.sqlite" "$TMP/day2.csv" >/dev/null 2>&1
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" CN >"$TMP/expected.jsonl"
expect "some are left" [ -s "$TMP/expected.jsonl" ]
expect "and some were Chinese" [ "$(wc -l <"$TMP/expected.jsonl")" -lt "$(wc -l <"$TMP/pexpected.jsonl")" ]
check_alerts "--friendly CN: the others' landings abroad and groups" "$TMP/f.jsonl"

# A rate limit on patrol alerts: one landing abroad an hour (counted in event time).
printf '[rule one an hour]\nevents = landing_abroad\nmax_per_hour = 1\n' >"$TMP/rate.ini"
"$AW" replay --zones "$ZONES" --aircraft-db "$TMP/db.csv" --rules "$TMP/rate.ini" \
    --output "file:$TMP/rate.jsonl" --spool "$TMP/rate.sqlite" "$TMP/day2.csv" >/dev/null 2>&1
$PY - "$TMP/patrol.jsonl" "$TESTS" >"$TMP/expected.jsonl" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import alerts_check as c
last = None
for ev in sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda e: c.epoch(e["time"])):
    if ev["type"] == "landing" and ev.get("landed_abroad") is True:
        if last is None or c.epoch(ev["time"]) - last >= 3600:
            last = c.epoch(ev["time"])
            print(json.dumps(c.key(ev)))
PY
expect "the limit holds some back" [ "$(wc -l <"$TMP/expected.jsonl")" -lt "$(grep -c landing "$TMP/pexpected.jsonl")" ]
check_alerts "max_per_hour = 1: the first landing abroad of each hour" "$TMP/rate.jsonl"

# watch, fed live by the simulator: the patrol events settled by the feed's last report.
sport=$(free_port)
# (no probe: the simulator's clock starts with its first client, which must be watch)
"$AW" simulate builtin:2022-11-30 --format csv --listen "$sport" --speed 10000 2>"$TMP/sim.err" & sim=$!
wait_for "grep -q 'listening on' $TMP/sim.err"
"$AW" watch --connect "127.0.0.1:$sport" --zones "$ZONES" --aircraft-db "$TMP/db.csv" \
    --rules "$TMP/patrol_only.ini" --output "file:$TMP/w.jsonl" --spool "$TMP/w.sqlite" \
    >/dev/null 2>"$TMP/werr" & w=$!
clock=$($PY -c 'import sys; sys.path.insert(0, sys.argv[1]); import alerts_check as c
print(c.epoch(open(sys.argv[2]).readlines()[-1].split(",")[0]))' "$TESTS" "$TMP/day2.csv")
$PY "$TESTS/alerts_check.py" patrol "$TMP/patrol.jsonl" "" "$clock" >"$TMP/expected.jsonl"
expect "a live day settles patrol events" [ -s "$TMP/expected.jsonl" ]
wait_for "grep -q 'feed closed' $TMP/werr" 600
# the last analysis comes within 10 s of the feed falling quiet
wait_for "$PY $TESTS/alerts_check.py live $TMP/expected.jsonl $TMP/w.jsonl $TMP/patrol.jsonl >/dev/null 2>&1" 600
kill -TERM $w; wait $w
expect "watch exits 0 on SIGTERM" [ $? -eq 0 ]
w=""
check_live "watch: the settled landings abroad and groups, as the store's analysis has them" \
    "$TMP/w.jsonl" "$TMP/patrol.jsonl" "$TMP/a.jsonl"
finish
