#!/usr/bin/env python3
"""nats_client.py -- the few NATS operations the alert tests need, over the plain text
protocol (docs.nats.io "Client Protocol"), standard library only, loopback only.

  create PORT STREAM SUBJECT   add a JetStream file stream taking SUBJECT
  dump PORT STREAM OUT         write every message of the stream to OUT, one a line, and
                               to OUT.msgid how many carry a Nats-Msg-Id header
  sub PORT SUBJECT OUT         append each message on SUBJECT to OUT until killed
  count PORT STREAM SUBJECT    print how many messages of the stream are on SUBJECT (0 if
                               the stream is not there yet): the cluster bench's poll"""
import base64
import json
import socket
import sys


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.line()  # INFO
        self.s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true,'
                       b'"no_responders":true}\r\nPING\r\n')
        while self.next() != ("PONG",):
            pass

    def line(self):
        while b"\r\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode()

    def take(self, n):
        while len(self.buf) < n + 2:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def next(self):
        """The next message as ("MSG", subject, payload), or a control line as a tuple."""
        while True:
            line = self.line()
            op = line.split(" ")
            if op[0] == "PING":
                self.s.sendall(b"PONG\r\n")
            elif op[0] == "MSG":
                return ("MSG", op[1], self.take(int(op[-1])))
            elif op[0] == "HMSG":
                data = self.take(int(op[-1]))
                return ("MSG", op[1], data[int(op[-2]):])
            elif op[0].startswith("-ERR"):
                raise RuntimeError(line)
            elif op[0] in ("PONG", "+OK", "INFO"):
                return (op[0],)

    def request(self, subject, body):
        self.s.sendall(b"SUB _INBOX.aw 1\r\n")
        data = json.dumps(body).encode()
        self.s.sendall(b"PUB %s _INBOX.aw %d\r\n%s\r\n" % (subject.encode(), len(data), data))
        while True:
            m = self.next()
            if m[0] == "MSG":
                self.s.sendall(b"UNSUB 1\r\n")
                return json.loads(m[2]) if m[2] else {}


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    c = Conn(port)
    if cmd == "create":
        r = c.request("$JS.API.STREAM.CREATE." + sys.argv[3],
                      {"name": sys.argv[3], "subjects": [sys.argv[4]], "storage": "file"})
        if "error" in r:
            sys.exit("create: %s" % r["error"])
    elif cmd == "dump":
        info = c.request("$JS.API.STREAM.INFO." + sys.argv[3], {})
        if "error" in info:
            sys.exit("info: %s" % info["error"])
        st = info["state"]
        with_id = 0
        with open(sys.argv[4], "w") as out:
            for seq in range(st["first_seq"], st["last_seq"] + 1):
                m = c.request("$JS.API.STREAM.MSG.GET." + sys.argv[3], {"seq": seq})
                if "message" in m:
                    out.write(base64.b64decode(m["message"].get("data", "")).decode() + "\n")
                    with_id += b"Nats-Msg-Id" in base64.b64decode(m["message"].get("hdrs", ""))
        with open(sys.argv[4] + ".msgid", "w") as out:  # how many came by JetStream publish
            out.write("%d\n" % with_id)
    elif cmd == "count":
        info = c.request("$JS.API.STREAM.INFO." + sys.argv[3], {"subjects_filter": sys.argv[4]})
        print(info.get("state", {}).get("subjects", {}).get(sys.argv[4], 0))
    elif cmd == "sub":
        c.s.settimeout(None)
        c.s.sendall(b"SUB %s 2\r\nPING\r\n" % sys.argv[3].encode())
        with open(sys.argv[4], "ab", buffering=0) as out:
            while True:
                m = c.next()
                if m[0] == "MSG":
                    out.write(m[2].replace(b"\n", b" ") + b"\n")
                elif m[0] == "PONG":
                    open(sys.argv[4] + ".ready", "w").close()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
