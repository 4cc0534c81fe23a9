# testlib.sh -- helpers for the shell tests that drive the real adizwatch binary.
# Each test sources this with the binary's path as $1.
set -uo pipefail
AW="$1"
TESTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FIXTURES="${FIXTURES:-$TESTS/fixtures}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3
failures=0
checks=0

ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
# expect DESCRIPTION COMMAND...: the command must succeed
expect() { local d="$1"; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# expect_grep DESCRIPTION PATTERN FILE
expect_grep() { if grep -q -- "$2" "$3"; then ok "$1"; else fail "$1 (no '$2' in $3)"; cat "$3"; fi; }
# expect_no_grep DESCRIPTION PATTERN FILE: the file exists and has no line matching
expect_no_grep() {
    if [ ! -e "$3" ]; then fail "$1 ($3 missing)"
    elif grep -q -- "$2" "$3"; then fail "$1 ('$2' found in $3)"; grep -- "$2" "$3" | head -5
    else ok "$1"; fi
}
# require DESCRIPTION COMMAND...: what the test cannot run without (a package that
# scripts/setup.sh installs, a program the build makes); if missing, the test FAILS.
require() { local d="$1"; shift; "$@" || { echo "FAIL: $d is missing"; exit 1; }; }
# free_port: a loopback TCP port nothing holds now, for a server the test starts. Picked
# at random below the kernel's ephemeral range (ip_local_port_range, 32768-60999 here):
# a port the kernel hands out (port 0) is free now, but the next outgoing connection of
# any process on the machine may be given it before our server binds it.
free_port() {
    $PY -c '
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    p = random.randrange(10000, max(lo, 10001))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
else:
    raise SystemExit("no free port")'
}
# need_shared FILE...: the test needs these files of ../shared; if one is absent, it is
# skipped (status 77, which ctest reports as skipped), saying which. Only for that.
need_shared() {
    local f
    for f in "$@"; do
        [ -e "$f" ] || { echo "SKIP: $f is absent (the shared data is not beside the repository)"; exit 77; }
    done
}
# wait_until SECONDS COMMAND...: poll (every 0.1 s) until the command succeeds, at most
# SECONDS; false if it never did. Tests wait for a condition, not for a fixed time: a
# loaded machine or a sanitizer build is slow by a factor no fixed sleep foresees.
wait_until() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ "$SECONDS" -ge "$end" ] && return 1; sleep 0.1; done
}
# box NAME LAT0 LAT1 LON0 LON1 > zones.geojson: one rectangular zone NAME
box() {
    cat <<EOF
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"$1","name":"$1"},
 "geometry":{"type":"Polygon","coordinates":[[[$4,$2],[$5,$2],[$5,$3],[$4,$3],[$4,$2]]]}}]}
EOF
}
finish() { echo "$checks checks, $failures failed"; [ "$failures" -eq 0 ]; exit $?; }
