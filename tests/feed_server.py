#!/usr/bin/env python3
"""feed_server.py PORT FILE -- a stand-in for a readsb/dump1090 port-30003 feed, on
loopback, for the watch tests.

The first connection gets the first half of FILE's lines, cut into odd-sized chunks so
that lines are split across reads, and is then closed by the server; the second gets the
rest and is held open (the feed stalls) until the server is killed. Standard library
only; it serves 127.0.0.1 and nothing else."""
import socket
import sys
import time


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    data = open(path, "rb").read()
    lines = data.splitlines(keepends=True)
    half = len(lines) // 2
    parts = [b"".join(lines[:half]), b"".join(lines[half:])]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(60)
    for i, part in enumerate(parts):
        conn, _ = srv.accept()
        sizes = [1, 7, 3, 64, 13]
        pos, k = 0, 0
        while pos < len(part):
            n = sizes[k % len(sizes)]
            conn.sendall(part[pos:pos + n])
            pos += n
            k += 1
            time.sleep(0.001)
        if i == 0:
            conn.close()
        else:
            time.sleep(60)  # stall with the connection open; the test kills us first
            conn.close()


if __name__ == "__main__":
    main()
