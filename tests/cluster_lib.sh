# cluster_lib.sh -- sourced by the cluster tests after testlib.sh: a real nats-server -js
# on a free loopback port with a temporary store (and the config $NATS_CONF) (start_server, again after a stop), the
# workers started (start_worker NAME, with $WORKER_ARGS), and everything stopped at the end.
command -v nats-server >/dev/null || { echo "SKIP: nats-server is not installed (scripts/setup.sh installs it)"; exit 77; }

ZONES="${ZONES:-$FIXTURES/zones_basic.geojson}"
PORT=$(free_port)
URL="nats://127.0.0.1:$PORT"
NS_PID=
start_server() {
    nats-server -js ${NATS_CONF:+-c "$NATS_CONF"} -a 127.0.0.1 -p "$PORT" -sd "$TMP/store" >>"$TMP/nats.log" 2>&1 &
    NS_PID=$!
    for _ in $(seq 600); do # up to 60 s: a loaded machine is slow to start it
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0
        sleep 0.1
    done
    echo "FAIL: nats-server did not start"; cat "$TMP/nats.log"; exit 1
}
WORKERS=()
cleanup() {
    for p in "${WORKERS[@]}"; do kill "$p" 2>/dev/null; done
    [ -n "$NS_PID" ] && kill "$NS_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
start_worker() { # NAME
    "$AW" worker --nats "$URL" --zones "$ZONES" --name "$1" --lease 2 ${WORKER_ARGS:-} 2>>"$TMP/$1.err" &
    WORKERS+=($!)
    eval "PID_$1=$!"
}
