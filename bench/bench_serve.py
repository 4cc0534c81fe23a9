#!/usr/bin/python3
"""bench_serve.py -- `adizwatch serve` under load, on loopback (run by ./scripts/bench,
never by the tests).

1. The API with 10,000 live tracks: a replay of 10,000 generated aircraft fed at full
   speed, then /api/tracks asked 10 times; its answer time and size, next to /api/stats
   asked the same way in the same run (the fixed cost of a request: the reference).
2. The event stream's fan-out: 200 aircraft each reporting once a second; 1 client,
   then 200 clients (from 10 loopback addresses) read /api/stream for 10 s; messages and
   bytes per client per second, and the server's CPU seconds per wall second, 200
   against 1 (the reference).

usage: bench_serve.py ADIZWATCH GEN_TRACKS ZONES OUTDIR   (prints JSON on stdout)"""
import json
import multiprocessing
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import time

AW, GEN, ZONES, OUT = sys.argv[1:5]


def serve(csv, speed, name):
    err = open(os.path.join(OUT, name + ".err"), "w")
    p = subprocess.Popen([AW, "serve", "--zones", ZONES, "--replay", csv, "--format", "csv",
                          "--speed", str(speed), "--http", "127.0.0.1:0"],
                         stdout=subprocess.DEVNULL, stderr=err)
    for _ in range(100):
        time.sleep(0.1)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", open(err.name).read())
        if m:
            return p, int(m.group(1))
    p.kill()
    raise SystemExit("serve did not start: " + open(err.name).read())


def get(port, path):
    s = socket.create_connection(("127.0.0.1", port))
    t0 = time.perf_counter()
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % (path, port)).encode())
    data = bytearray()
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        data += b
    dt = time.perf_counter() - t0
    s.close()
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    return dt, body


def cpu_s(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def api_10k():
    csv = os.path.join(OUT, "serve_10k.csv")
    with open(csv, "w") as f:
        subprocess.run([GEN, "10000", "20000", "csv"], stdout=f, check=True)
    p, port = serve(csv, 100000, "serve_10k")
    try:
        for _ in range(300):
            st = json.loads(get(port, "/api/stats")[1])
            if st["feed"]["state"] == "done" and st["tracks"] >= 10000:
                break
            time.sleep(0.1)
        tracks_t, stats_t, size = [], [], 0
        for _ in range(10):
            dt, body = get(port, "/api/tracks")
            tracks_t.append(dt)
            size = len(body)
            assert len(json.loads(body)["features"]) == st["tracks"]
            stats_t.append(get(port, "/api/stats")[0])
        return {"serve_tracks": st["tracks"], "serve_api_tracks_s": statistics.median(tracks_t),
                "serve_api_tracks_bytes": size, "serve_api_stats_s": statistics.median(stats_t),
                "serve_api_tracks_over_stats": statistics.median(tracks_t) / statistics.median(stats_t)}
    finally:
        p.terminate()
        p.wait()


def read_streams(port, first, clients, seconds, out):
    """One worker process: clients streams, counted after the first second."""
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(first, first + clients):
        s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.%d" % (2 + i % 10), 0))
        s.sendall(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port).encode())
        s.setblocking(False)
        st = {"bytes": 0, "msgs": 0, "tail": b""}
        sel.register(s, selectors.EVENT_READ, st)
        conns.append((s, st))
    t0 = time.monotonic()
    counting = False
    while time.monotonic() - t0 < seconds + 1.0:
        if not counting and time.monotonic() - t0 >= 1.0:  # the first message carries every track
            counting = True
            for _, st in conns:
                st["bytes"] = st["msgs"] = 0
        for key, _ in sel.select(timeout=0.2):
            try:
                b = key.fileobj.recv(1 << 20)
            except BlockingIOError:
                continue
            st = key.data
            st["bytes"] += len(b)
            chunk = st["tail"] + b
            st["msgs"] += chunk.count(b"event: tracks")
            st["tail"] = chunk[-16:]
    for s, _ in conns:
        sel.unregister(s)
        s.close()
    out.send([(st["msgs"], st["bytes"]) for _, st in conns])


def fan_out(port, pid, clients, seconds=10.0):
    """clients streams read by up to 4 processes (one Python process cannot read 200
    streams as fast as the server writes them)."""
    workers = min(4, clients)
    procs = []
    for w in range(workers):
        a, b = multiprocessing.Pipe()
        n = clients // workers + (w < clients % workers)
        first = sum(clients // workers + (k < clients % workers) for k in range(w))
        pr = multiprocessing.Process(target=read_streams, args=(port, first, n, seconds, b))
        pr.start()
        procs.append((pr, a))
    time.sleep(1.0)
    c0, t0 = cpu_s(pid), time.monotonic()
    got = []
    for pr, a in procs:
        got += a.recv()
        pr.join()
    wall, cpu = seconds, cpu_s(pid) - c0
    conns = [(None, {"msgs": m, "bytes": b}) for m, b in got]
    rates = [st["msgs"] / wall for _, st in conns]
    return {"clients": clients, "msgs_per_client_s": statistics.median(rates), "min_msgs_per_client_s": min(rates),
            "mb_per_s": sum(st["bytes"] for _, st in conns) / wall / 1e6, "cpu_per_wall_s": cpu / wall}


def stream():
    csv = os.path.join(OUT, "serve_fan.csv")
    with open(csv, "w") as f:
        subprocess.run([GEN, "200", "24000", "csv"], stdout=f, check=True)
    p, port = serve(csv, 10, "serve_fan")  # 200 reports a second: each track once a second
    try:
        time.sleep(2)
        one = fan_out(port, p.pid, 1)
        many = fan_out(port, p.pid, 200)
        st = json.loads(get(port, "/api/stats")[1])
        return {"serve_stream_tracks": st["tracks"], "serve_stream_1": one, "serve_stream_200": many,
                "serve_stream_cpu_200_over_1": many["cpu_per_wall_s"] / max(one["cpu_per_wall_s"], 1e-3)}
    finally:
        p.terminate()
        p.wait()


if __name__ != "__main__":
    raise ImportError("a script")
r = api_10k()
r.update(stream())
json.dump(r, sys.stdout, indent=2)
print()
