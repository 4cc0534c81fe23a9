#!/usr/bin/python3
"""cluster_gen.py N OUT -- a CSV of N interleaved tracks crossing tests/fixtures/zones_basic
for the cluster tests: entries and exits by crossing (lateral and through the banded
zone's floor and ceiling), and every seventh track silent for 400 s mid-way (lost, then
first_seen). Deterministic: the same N gives the same file."""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rows = []
for i in range(n):
    t0 = 1700000000 + (i % 600) * 10
    lat = -0.45 + 0.9 * i / n
    alt0 = 5000 + (i * 37) % 20000
    t = t0
    for k in range(40):
        if i % 7 == 0 and k == 10:
            t += 400
        lon = -0.5 + 0.09 * k + (i % 5) * 0.01
        alt = alt0 + 400 * k * (1 if i % 2 else -1)
        rows.append((t, i, "%06x" % (0xa00000 + i), lat, lon, alt, "T%05d" % i if i % 3 else ""))
        t += 30
rows.sort(key=lambda r: (r[0], r[1]))
with open(out, "w") as f:
    f.write("time,id,lat,lon,alt_ft,callsign\n")
    for t, _, tid, lat, lon, alt, cs in rows:
        f.write("%d,%s,%.6f,%.6f,%d,%s\n" % (t, tid, lat, lon, alt, cs))
