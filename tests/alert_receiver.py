#!/usr/bin/env python3
"""alert_receiver.py PORT OUT [FAIL_FIRST [DELAY_S]] -- a webhook receiver on loopback
for the alert tests.

Answers 500 to the first FAIL_FIRST POSTs, then 200 (after DELAY_S, to make delivery
slow enough to kill in the middle), appending each body it accepted as one line to OUT
and each request's path and Authorization header to OUT.auth. Bodies POSTed to /NAME
go to OUT.NAME. Standard library only; it serves
127.0.0.1 and nothing else."""
import http.server
import sys
import threading
import time

port, out = int(sys.argv[1]), sys.argv[2]
fail_first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
seen = 0
lock = threading.Lock()  # one request at a time past the count, so the lines stay whole


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen += 1
            with open(out + ".auth", "a") as f:
                f.write("%s %s\n" % (self.path, self.headers.get("Authorization", "-")))
            if seen <= fail_first:
                code = 500
            else:
                time.sleep(delay)
                with open(out + "." + self.path.strip("/"), "ab") as f:
                    f.write(body.replace(b"\n", b" ") + b"\n")
                code = 200
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
