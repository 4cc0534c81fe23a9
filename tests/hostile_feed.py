#!/usr/bin/env python3
"""hostile_feed.py PORT GOOD_LINES LOG PIDFILE IDLE_S sbs|csv -- a feed that misbehaves in
every way a network does, for tests/cli_hostile.sh. Standard library only; 127.0.0.1 only.

The well-formed lines of GOOD_LINES (SBS, or CSV whose first line is the header) are dealt
out, in order and each exactly once, over a sequence of connections that each end badly
(CSV: each connection that sends data starts with the header -- the garbage one only
after a line of junk):

  empty     accepted and closed at once, nothing sent (SBS only; three of them: the
            backoff grows)
  midline   lines, then the first half of the next line, then close
  reset     lines, then half a line, then an RST (SO_LINGER 0)
  stall     lines, then nothing with the socket open, until the client gives up
  bytewise  lines sent one byte per send (TCP_NODELAY)
  garbage   binary junk, non-UTF-8, NUL bytes, a 5000-byte field, NaN and out-of-range
            numbers, interleaved with lines
  longline  lines, a 10 MB line, lines
  last      the rest, then the connection is held open

after which every further connection is accepted and held open (nothing sent).

LOG gets one JSON object per line: per connection {"conn": i, "kind": ..., "t_accept",
"t_close": seconds since start, "lines": [...]}, lines saying what the client is to count
for each line it was sent ("good", "bad", "cut", "toolong"), in order; {"stall_s": s} for how long the stalled
connection stayed open; {"hwm_before_kb": n} (VmHWM of the pid in PIDFILE just before the
10 MB line); {"listening": true} first and {"done": true} once everything was sent."""
import json
import os
import random
import socket
import struct
import sys
import time


class Feed:
    def __init__(self, good, log):
        self.good = good
        self.pos = 0
        self.log = log

    def note(self, **kw):
        self.log.write(json.dumps(kw) + "\n")
        self.log.flush()

    def take(self, n):
        chunk = self.good[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk

    def send_lines(self, conn, lines, kinds):
        conn.sendall(b"".join(lines))
        kinds.extend(["good"] * len(lines))


def vm_hwm_kb(pidfile):
    try:
        pid = open(pidfile).read().strip()
        for line in open("/proc/%s/status" % pid):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return -1


def garbage_lines(fmt):
    """Lines that must each be counted as one bad line: no LF inside, not blank."""
    rnd = random.Random(9)
    junk = bytes(rnd.choice([b for b in range(256) if b not in (10, 13, 32, 9)]) for _ in range(300))
    if fmt == "sbs":
        good = b"MSG,3,1,1,7A0001,1,2022/11/30,00:00:05.000,2022/11/30,00:00:05.000,,30000,,,31.00000,124.00000,,,,,,0"
        when = b"2022/11/30,00:00:05"
        bad_when = b"2022/13/45,25:61:05"
    else:
        good = b"1669766405.000,7A0001,31.00000,124.00000,30000,T1"
        when = b"1669766405.000"
        bad_when = b"2022-13-45T25:61:05Z"
    return [
        junk + b"\r\n",                                            # binary junk (first: format detection sees it)
        b"\xff\xfe\xc3\x28MSG\xa0\x80,3,\xe2\x28\xa1,\xf0\x90\x28\xbc\n",  # not UTF-8
        good.replace(b"124.00000", b"124.0\x0000") + b"\n",        # a NUL inside a number
        b"\x00" * 50 + b"\n",                                      # nothing but NULs
        good.replace(b"7A0001", b"7A" + b"F" * 5000) + b"\n",      # a 5000-byte field
        good.replace(b"31.00000", b"nan") + b"\n",
        good.replace(b"30000", b"inf") + b"\n",
        good.replace(b"30000", b"1e999") + b"\n",
        good.replace(b"124.00000", b"180.0000001") + b"\n",
        good.replace(b"31.00000", b"-90.5") + b"\n",
        good.replace(when, bad_when) + b"\n",
    ]


def main():
    port, good_path, log_path, pidfile, idle, fmt = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                                      sys.argv[4], float(sys.argv[5]), sys.argv[6])
    good = [l if l.endswith(b"\n") else l + b"\n" for l in open(good_path, "rb").read().splitlines(keepends=True)]
    header = []
    if fmt == "csv":
        header, good = good[:1], good[1:]
    lon_field = 15 if fmt == "sbs" else 3
    log = open(log_path, "w")
    f = Feed(good, log)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(4)
    f.note(listening=True)
    srv.settimeout(120)
    t0 = time.monotonic()
    chunk = max(1, len(good) // 10)
    plan = ["empty", "empty", "empty"] if fmt == "sbs" else []
    plan += ["midline", "reset", "stall", "bytewise", "garbage", "longline", "last"]
    held = []
    for i, kind in enumerate(plan):
        conn, _ = srv.accept()
        t_accept = time.monotonic() - t0
        kinds = []
        if kind not in ("empty", "bytewise", "garbage"):
            f.send_lines(conn, header, kinds)
        if kind == "empty":
            conn.close()
        elif kind in ("midline", "reset"):
            f.send_lines(conn, f.take(chunk), kinds)
            time.sleep(0.5)  # the client has read those before the connection ends
            nxt = f.good[f.pos]  # sent whole on the next connection
            # Cut inside the longitude ("124.1|2345"): what arrived would still parse.
            cut = len(b",".join(nxt.split(b",")[:lon_field])) + 6
            conn.sendall(nxt[:cut])
            kinds.append("cut")
            time.sleep(0.3)
            if kind == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
        elif kind == "stall":
            f.send_lines(conn, f.take(chunk), kinds)
            start = time.monotonic()
            conn.settimeout(idle * 5 + 10)
            try:
                while conn.recv(1024):
                    pass
            except OSError:
                pass
            f.note(stall_s=time.monotonic() - start)
            conn.close()
        elif kind == "bytewise":
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            lines = header + f.take(chunk // 2)
            for b in b"".join(lines):
                conn.send(bytes([b]))
            kinds.extend(["good"] * len(lines))
            time.sleep(0.3)
            conn.close()
        elif kind == "garbage":
            bad = garbage_lines(fmt)
            lines = header + f.take(len(bad) - len(header))
            for g, l in zip(bad, lines + [b""] * len(bad)):
                conn.sendall(g)
                kinds.append("bad")
                if l:
                    conn.sendall(l)
                    kinds.append("good")
            f.send_lines(conn, f.take(chunk // 2), kinds)
            time.sleep(0.3)
            conn.close()
        elif kind == "longline":
            f.send_lines(conn, f.take(chunk // 2), kinds)
            time.sleep(0.5)
            f.note(hwm_before_kb=vm_hwm_kb(pidfile))
            block = b"MSG,3," + b"9" * 65530
            sent = 0
            while sent < 10 * 1024 * 1024:
                conn.sendall(block)
                sent += len(block)
            conn.sendall(b"\n")
            kinds.append("toolong")
            f.send_lines(conn, f.take(chunk // 2), kinds)
            time.sleep(0.3)
            conn.close()
        else:  # last
            f.send_lines(conn, f.take(len(good)), kinds)
            held.append(conn)
        f.note(conn=i, kind=kind, t_accept=t_accept, t_close=time.monotonic() - t0, lines=kinds)
    f.note(done=True, sent_good=f.pos, total_good=len(good))
    while True:  # further connections: held open, silent, until we are killed
        conn, _ = srv.accept()
        held.append(conn)


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError, ConnectionError, socket.timeout):
        pass
