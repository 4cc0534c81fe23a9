#!/usr/bin/env bash
# replay of a regular file reads a few reports ahead of the engine (so that it can fetch
# their tracks early); a pipe does not. Both must print the same events, the same bad
# lines under the same numbers, the same summary, and stop at the same line (--strict).
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"

# Six aircraft crossing the test squares, interleaved, with bad, blank, CRLF and
# attribute-only lines among them; a refused report lands near the end of the file.
$PY - "$TMP" <<'PY'
import sys
tmp = sys.argv[1]
csv = ["time,id,lat,lon,alt_ft,callsign"]
sbs = []
for step in range(120):
    for k in range(6):
        t = 1669766400 + step * 10 + k
        lat, lon = -0.9 + 0.015 * step + 0.1 * k, -0.5 + 0.04 * step
        csv.append(f"{t},a{k:05x},{lat:.5f},{lon:.5f},{12000 + 100 * step},C{k}")
        hh, mm, ss = (step * 10 + k) // 3600, (step * 10 + k) // 60 % 60, (step * 10 + k) % 60
        when = f"2022/11/30,{hh:02d}:{mm:02d}:{ss:02d}.000"
        sbs.append(f"MSG,3,1,1,a{k:05x},1,{when},{when},,{12000 + 100 * step},,,{lat:.5f},{lon:.5f},,,0,0,0,0")
        if (step * 6 + k) % 97 == 5:
            csv.append("not,a,report"); sbs.append("MSG,9,1,1,x")
        if (step * 6 + k) % 89 == 7:
            csv.append(""); sbs.append("SEL,1,1,1,abcdef,1")
        if (step * 6 + k) % 83 == 3:
            csv[-1] += "\r"; sbs.append(f"MSG,1,1,1,a{k:05x},1,{when},{when},CS{k},,,,,,,,,,,0")
csv.insert(len(csv) - 2, "1669770000,a00001,95,0,1,late")
open(f"{tmp}/t.csv", "w").write("\n".join(csv) + "\n")
open(f"{tmp}/t.sbs", "w").write("\n".join(sbs))  # no LF after the last line
PY

for input in t.csv t.sbs; do
    for opts in "" "--strict" "--max-tracks 2" "--timeout 30"; do
        "$AW" replay --zones "$Z" $opts "$TMP/$input" >"$TMP/file.out" 2>"$TMP/file.err"
        echo "exit $?" >>"$TMP/file.out"
        cat "$TMP/$input" | "$AW" replay --zones "$Z" $opts - >"$TMP/pipe.out" 2>"$TMP/pipe.err"
        echo "exit $?" >>"$TMP/pipe.out"
        sed -i "s#^$TMP/$input#stdin#" "$TMP/file.err"
        sed -i "s#^adizwatch: $TMP/$input#adizwatch: stdin#" "$TMP/file.err"
        expect "$input $opts: the same events and exit status read ahead or not" \
            cmp -s "$TMP/file.out" "$TMP/pipe.out"
        expect "$input $opts: the same messages and summary read ahead or not" \
            cmp -s "$TMP/file.err" "$TMP/pipe.err"
    done
done
"$AW" replay --zones "$Z" "$TMP/t.csv" >"$TMP/file.out" 2>"$TMP/file.err"
expect "the traffic makes events" [ "$(wc -l <"$TMP/file.out")" -gt 10 ]
expect_grep "bad lines are reported with their numbers" "t.csv:[0-9]*: bad line" "$TMP/file.err"
"$AW" replay --strict --zones "$Z" "$TMP/t.csv" >/dev/null 2>"$TMP/file.err"
expect_grep "--strict stops at the first bad line" "t.csv:[0-9]*: bad line: expected 6 columns" "$TMP/file.err"
finish
