#!/usr/bin/env bash
# Flat memory: 2,000,000 distinct ids streamed into `replay -` (generated on the fly into
# the pipe) with --max-tracks 100000. The peak RSS after 2 M ids is that after 1 M within
# 5 % + 2 MB; every id past the limit evicts the longest idle track, counted in the
# summary, and those evicted inside a zone are lost from it.
# Under the sanitizers (slow, and ASan's quarantine keeps freed memory resident) it runs
# 200,000 ids against a limit of 10,000 and checks only the counts.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"
N=2000000 MAX=100000 CHECK_RSS=1
if [ "${ADIZWATCH_SANITIZE:-OFF}" = ON ]; then
    echo "sanitizer build: 200,000 ids, --max-tracks 10000, no RSS check (ASan's quarantine holds freed memory)"
    N=200000 MAX=10000 CHECK_RSS=0
fi

# One report per id, 10 ids a second; one id in 100 is inside the zone "square".
$PY - "$AW" "$Z" "$N" "$MAX" "$TMP" >"$TMP/rss" <<'EOF'
import subprocess, sys, time
aw, zones, n, mt, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
p = subprocess.Popen([aw, "replay", "--zones", zones, "--max-tracks", mt, "-"],
                     stdin=subprocess.PIPE, stdout=open(tmp + "/out.jsonl", "w"),
                     stderr=open(tmp + "/err", "w"))
def hwm_kb():
    for line in open("/proc/%d/status" % p.pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
p.stdin.write(b"time,id,lat,lon\n")
t0, block = 1669766400, 10000
for start in range(0, n, block):
    p.stdin.write("".join("%d.%d,x%07x,0,%s\n" % (t0 + i // 10, i % 10, i, "0.5" if i % 100 == 0 else "5")
                          for i in range(start, start + block)).encode())
    if start + block in (n // 2, n):
        p.stdin.flush()
        time.sleep(0.3)  # the pipe holds at most 64 kB: by now replay has read nearly all
        print(hwm_kb())
p.stdin.close()
print(p.wait())
EOF
{ read -r hwm1; read -r hwm2; read -r rc; } <"$TMP/rss"
cat "$TMP/err"
expect "replay of $N ids exits 0" [ "${rc:-1}" = 0 ]
if [ "$CHECK_RSS" = 1 ]; then
    echo "VmHWM after $((N / 2)) ids: $hwm1 kB, after $N: $hwm2 kB"
    expect "memory flat: peak after 2 M ids within 5 % + 2 MB of that after 1 M" \
        [ "$hwm2" -le $((hwm1 + hwm1 / 20 + 2048)) ]
fi
expect_grep "every id a track" "$N tracks," "$TMP/err"
expect_grep "evictions counted in the summary" "$((N - MAX)) tracks evicted" "$TMP/err"
inside=$((N / 100)) still=$((MAX / 100))
expect "one enter per id inside the zone" [ "$(grep -c '"type":"enter"' "$TMP/out.jsonl")" -eq "$inside" ]
expect "an exit/lost per evicted id inside the zone" \
    [ "$(grep -c '"type":"exit","cause":"lost"' "$TMP/out.jsonl")" -eq $((inside - still)) ]
expect_grep "the tracks kept still hold their visits" "$still visits still open" "$TMP/err"
finish
