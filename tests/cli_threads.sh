#!/usr/bin/env bash
# replay --threads N splits the tracks over N engines in N threads (src/pipeline/parallel.c)
# and must give what one engine gives, byte for byte: the same events in the same order,
# the same store, the same bad lines under the same numbers, the same summary and exit
# status -- also when --max-tracks makes a new track evict the longest idle one of all
# (whichever thread has it), when --strict stops at a bad line, through a pipe, with
# --db, with alerts, from a binary input. Run under ThreadSanitizer by scripts/test
# (label "threads").
source "$(dirname "$0")/testlib.sh"
Z=builtin:east-asia

# Thousands of aircraft on straight legs across the East Asia zones (KADIZ, JADIZ, the
# 12 NM seas...), their reports interleaved in time order; among them bad lines, blank
# and comment lines, a stale report, one off the globe (latitude 95), CRLF ends; the same
# traffic as SBS with attribute-only lines (callsigns).
TRACKS=2000
[ "${ADIZWATCH_SANITIZE:-OFF}" = thread ] && TRACKS=300 # ThreadSanitizer: several times slower
MAXT=$((TRACKS / 8)) # --max-tracks: evictions all along
INPUTS="t.csv t.sbs"
[ "${ADIZWATCH_SANITIZE:-OFF}" = thread ] && INPUTS=t.csv # the same threads either way
$PY - "$TMP" "$TRACKS" <<'PY'
import math, random, sys
tmp, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(22)
rows = []
for k in range(n):
    lat0, lon0 = rnd.uniform(26, 42), rnd.uniform(120, 140)
    heading, speed = rnd.uniform(0, 2 * math.pi), rnd.uniform(0.02, 0.08)  # degrees / step
    t0 = 1669766400 + rnd.randrange(0, 3600)
    alt = rnd.choice([8000, 18000, 26000, 33000])
    for step in range(rnd.randrange(10, 30)):
        lat = lat0 + speed * step * math.cos(heading)
        lon = lon0 + speed * step * math.sin(heading)
        rows.append((t0 + 30 * step + k % 7, f"t{k:05d}", lat, lon, alt + 100 * step, f"CS{k % 500}"))
rows.sort()
csv, sbs, bad = ["time,id,lat,lon,alt_ft,callsign"], [], 0
for i, (t, tid, lat, lon, alt, cs) in enumerate(rows):
    csv.append(f"{t},{tid},{lat:.5f},{lon:.5f},{alt},{cs}")
    hh, mm, ss = (t - 1669766400) // 3600, (t - 1669766400) // 60 % 60, (t - 1669766400) % 60
    when = f"2022/11/30,{hh:02d}:{mm:02d}:{ss:02d}.000"
    hexid = f"{int(tid[1:]) + 0x700000:06x}"
    sbs.append(f"MSG,3,1,1,{hexid},1,{when},{when},,{alt},,,{lat:.5f},{lon:.5f},,,0,0,0,0")
    if i % 997 == 5:
        csv.append("not,a,report"); sbs.append("MSG,9,1,1,x")
    if i % 1499 == 7:
        csv.append(""); csv.append("# a comment"); sbs.append("SEL,1,1,1,abcdef,1")
    if i % 113 == 3:
        sbs.append(f"MSG,1,1,1,{hexid},1,{when},{when},{cs},,,,,,,,,,,0")
    if i % 2003 == 11:
        csv[-1] += "\r"
    if i % 5003 == 17:  # an old report of a track already seen: dropped as stale
        csv.append(f"{rows[0][0]},{tid},{lat:.5f},{lon:.5f},{alt},{cs}")
csv.insert(200, "1669766500,t00001,95,130,1,refused")
open(f"{tmp}/t.csv", "w").write("\n".join(csv) + "\n")
open(f"{tmp}/t.sbs", "w").write("\n".join(sbs) + "\n")
PY

run() { # run NAME OPTS...: events in NAME.out (with the exit status), messages in NAME.err
    local name=$1
    shift
    "$AW" replay --zones "$Z" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    echo "exit $?" >>"$TMP/$name.out"
}

for input in $INPUTS; do
    for opts in "" "--max-tracks $MAXT" "--strict" "--timeout 60"; do
        # shellcheck disable=SC2086
        run one --threads 1 $opts "$TMP/$input"
        threads="2"
        [ -z "$opts" ] && threads="2 3"
        for n in $threads; do
            # shellcheck disable=SC2086
            run many --threads $n $opts "$TMP/$input"
            expect "$input $opts --threads $n: the events and exit status of one thread" \
                cmp -s "$TMP/one.out" "$TMP/many.out"
            expect "$input $opts --threads $n: the messages and summary of one thread" \
                cmp -s "$TMP/one.err" "$TMP/many.err"
        done
    done
done

# What the comparisons above compared is worth comparing.
run one --threads 1 "$TMP/t.csv"
expect "the traffic makes more events than tracks" [ "$(wc -l <"$TMP/one.out")" -gt "$TRACKS" ]
expect_grep "... over $TRACKS tracks" " $TRACKS tracks," "$TMP/one.err"
expect_grep "bad lines are told with their numbers" "t.csv:[0-9]*: bad line: expected 6 columns" "$TMP/one.err"
expect_grep "the position off the globe is told" "t.csv:[0-9]*: bad line: lat \"95\" out of range" "$TMP/one.err"
expect_no_grep "... and no stale report is" "0 dropped" "$TMP/one.err"
run one --threads 1 --max-tracks $MAXT "$TMP/t.csv"
expect_grep "--max-tracks $MAXT evicts tracks" "tracks evicted to stay within --max-tracks" "$TMP/one.err"
expect_grep "... and they are lost from their zones" '"cause":"lost"' "$TMP/one.out"
run one --threads 1 --strict "$TMP/t.csv"
expect_grep "--strict stops at the first bad line" "exit 1" "$TMP/one.out"

# Through a pipe (no read-ahead; a quiet pipe has what came written out).
run one --threads 1 "$TMP/t.csv"
cat "$TMP/t.csv" | "$AW" replay --zones "$Z" --threads 2 - >"$TMP/pipe.out" 2>/dev/null
echo "exit $?" >>"$TMP/pipe.out"
expect "through a pipe, --threads 2 prints what one thread does" cmp -s "$TMP/one.out" "$TMP/pipe.out"

# The store: the same rows in the same order (ids included), trails and provenance too.
dump() { $PY -c 'import sqlite3, sys; [print(l) for l in sqlite3.connect(sys.argv[1]).iterdump()]' "$1"; }
for opts in "" "--max-tracks $MAXT"; do
    rm -f "$TMP/one.db" "$TMP/many.db"
    # shellcheck disable=SC2086
    run one --threads 1 $opts --db "$TMP/one.db" --trail-interval 60 "$TMP/t.csv"
    # shellcheck disable=SC2086
    run many --threads 2 $opts --db "$TMP/many.db" --trail-interval 60 "$TMP/t.csv"
    expect "--db $opts: the events printed are those of one thread" cmp -s "$TMP/one.out" "$TMP/many.out"
    sed -i "s#$TMP/one.db#DB#; s#$TMP/many.db#DB#" "$TMP/one.err" "$TMP/many.err"
    expect "--db $opts: the messages and summary of one thread" cmp -s "$TMP/one.err" "$TMP/many.err"
    dump "$TMP/one.db" >"$TMP/one.sql"
    dump "$TMP/many.db" >"$TMP/many.sql"
    expect "--db $opts: the store holds what one thread stores" cmp -s "$TMP/one.sql" "$TMP/many.sql"
    expect "--db $opts: ... events, visits and positions" \
        [ "$(grep -c 'INSERT INTO "positions"' "$TMP/one.sql")" -gt 1000 ]
done

# Alerts (--rules, --output file:): queued in the same order, with the same ids.
for n in 1 2; do
    "$AW" replay --zones "$Z" --rules "$FIXTURES/alerts_rules.ini" --output "file:$TMP/alerts$n.jsonl" \
        --spool "$TMP/spool$n.sqlite" --threads $n "$TMP/t.csv" >"$TMP/alerted$n.out" 2>/dev/null
done
expect "--rules --threads 2: the alerts of one thread, in its order" \
    cmp -s "$TMP/alerts1.jsonl" "$TMP/alerts2.jsonl"
expect "... alerts to compare" [ "$(wc -l <"$TMP/alerts2.jsonl")" -gt 100 ]
expect "--rules --threads 2: the events of one thread" cmp -s "$TMP/alerted1.out" "$TMP/alerted2.out"

# A binary input (Mode S frames in raw hex) goes through the threads as well.
box north_sea 52 53 3 5 >"$TMP/ns.geojson"
for n in 1 2; do
    "$AW" replay --zones "$TMP/ns.geojson" --format raw --start 2024-06-06T10:00:00Z --threads $n \
        "$FIXTURES/frames.raw" >"$TMP/raw$n.out" 2>"$TMP/raw$n.err"
    echo "exit $?" >>"$TMP/raw$n.out"
done
expect "raw frames --threads 2: the events of one thread" cmp -s "$TMP/raw1.out" "$TMP/raw2.out"
expect "raw frames --threads 2: the messages of one thread" cmp -s "$TMP/raw1.err" "$TMP/raw2.err"
expect_grep "... an event to compare" '"zone":"north_sea"' "$TMP/raw2.out"

"$AW" replay --zones "$Z" --threads 0 "$TMP/t.csv" >/dev/null 2>"$TMP/err"
expect "--threads 0 is refused (exit 2)" [ $? -eq 2 ]
expect_grep "... saying what it wants" "threads wants a whole number from 1 to 64" "$TMP/err"
finish
