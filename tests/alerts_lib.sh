# alerts_lib.sh -- what the alert tests share: a day of simulated traffic over the built-in
# East Asia zones (the 30 Nov 2022 scenario), the events replay prints for it, and the
# alerts the test rules select, worked out by tests/alerts_check.py. Sourced after
# testlib.sh.
RULES="$FIXTURES/alerts_rules.ini"
ZONES=builtin:east-asia
"$AW" simulate builtin:2022-11-30 --format csv --out "$TMP/day.csv" 2>/dev/null
"$AW" zones export "$ZONES" >"$TMP/zones.geojson"
"$AW" replay --zones "$ZONES" "$TMP/day.csv" >"$TMP/events.jsonl" 2>/dev/null
$PY "$TESTS/alerts_check.py" expected "$TMP/events.jsonl" "$TMP/zones.geojson" >"$TMP/expected.jsonl"
NEXPECTED=$(wc -l <"$TMP/expected.jsonl")
# check_alerts DESCRIPTION RECEIVED [REFERENCE]
check_alerts() {
    if $PY "$TESTS/alerts_check.py" compare "$TMP/expected.jsonl" "$2" ${3:-} >"$TMP/check.out" 2>&1; then
        ok "$1: $(tail -1 "$TMP/check.out")"
    else
        fail "$1"; cat "$TMP/check.out"
    fi
}
# check_live DESCRIPTION RECEIVED PATROL [REFERENCE]: as check_alerts, for a live run
# (alerts_check.py live)
check_live() {
    if $PY "$TESTS/alerts_check.py" live "$TMP/expected.jsonl" "$2" "$3" ${4:-} >"$TMP/check.out" 2>&1; then
        ok "$1: $(tail -1 "$TMP/check.out")"
    else
        fail "$1"; cat "$TMP/check.out"
    fi
}
# wait_for CONDITION-COMMAND [TENTHS]: poll until it holds (default 60 s: it returns as soon
# as it holds, and a loaded machine or a sanitizer build is slow).
wait_for() { local n=${2:-600}; while [ "$n" -gt 0 ]; do eval "$1" && return 0; sleep 0.1; n=$((n - 1)); done; return 1; }
# slow_feed FILE LINES_PER_SECOND: the file's lines at a pace, header first.
slow_feed() { $PY -c '
import sys, time
lines = open(sys.argv[1]).readlines(); rate = float(sys.argv[2])
sys.stdout.write(lines[0])
for i, l in enumerate(lines[1:]):
    sys.stdout.write(l)
    if i % 100 == 99:
        sys.stdout.flush(); time.sleep(100 / rate)
sys.stdout.flush()' "$1" "$2"; }
[ "$NEXPECTED" -gt 50 ] || { echo "FAIL: the simulated day gives only $NEXPECTED alerts"; exit 1; }
