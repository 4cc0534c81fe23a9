#!/usr/bin/env python3
"""Rewrite an Ethernet pcap capture in the forms other capture tools write, so that each
can be checked to give the same payloads:

    pcap_variants.py IN.pcap OUTDIR

writes OUTDIR/{pcapng,sll,sll2,raw,ipv6}.{pcapng,pcap}: pcapng (section header,
interface description and enhanced packet blocks, as Wireshark saves), Linux cooked
capture v1 and v2 (tcpdump -i any), raw IP (link type 101), and the same UDP datagrams in
IPv6 on Ethernet."""
import os
import struct
import sys


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    nano = magic in (0xA1B23C4D, 0x4D3CB2A1) if endian == "<" else False
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    assert linktype == 1, "an Ethernet capture is expected"
    pos, packets = 24, []
    while pos + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[pos:pos + 16])
        packets.append((sec, frac * (1 if nano else 1000), data[pos + 16:pos + 16 + incl]))
        pos += 16 + incl
    return packets


def write_pcap(path, linktype, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, linktype))
        for sec, nsec, frame in packets:
            f.write(struct.pack("<IIII", sec, nsec, len(frame), len(frame)))
            f.write(frame)


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def write_pcapng(path, packets):
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        # if_tsresol = 9 (nanoseconds), then the end of options
        opts = struct.pack("<HHB", 9, 1, 9) + b"\0\0\0" + struct.pack("<HH", 0, 0)
        f.write(block(1, struct.pack("<HHI", 1, 0, 65535) + opts))
        for sec, nsec, frame in packets:
            t = sec * 1_000_000_000 + nsec
            f.write(block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF,
                                         len(frame), len(frame)) + frame))


def ipv6_of(frame):
    """The Ethernet frame's IPv4/UDP datagram moved into IPv6."""
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    udp = ip[ihl:total]
    hdr = struct.pack(">IHBB", 6 << 28, len(udp), 17, 64) + b"\xfe\x80" + b"\0" * 13 + b"\1" \
        + b"\xff\x02" + b"\0" * 13 + b"\2"
    return frame[:12] + b"\x86\xdd" + hdr + udp


def main(src, out):
    os.makedirs(out, exist_ok=True)
    packets = read_pcap(src)
    write_pcapng(os.path.join(out, "pcapng.pcapng"), packets)
    ip = [(s, n, f[14:]) for s, n, f in packets]
    sll = [(s, n, struct.pack(">HHH", 0, 1, 6) + f[6:12] + b"\0\0" + f[12:14] + f[14:])
           for s, n, f in packets]
    sll2 = [(s, n, f[12:14] + b"\0\0" + struct.pack(">I", 2) + struct.pack(">HBB", 1, 0, 6)
             + f[6:12] + b"\0\0" + f[14:]) for s, n, f in packets]
    write_pcap(os.path.join(out, "sll.pcap"), 113, sll)
    write_pcap(os.path.join(out, "sll2.pcap"), 276, sll2)
    write_pcap(os.path.join(out, "raw.pcap"), 101, ip)
    write_pcap(os.path.join(out, "ipv6.pcap"), 1, [(s, n, ipv6_of(f)) for s, n, f in packets])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
