#!/usr/bin/env bash
# Edge values through the CLI, in CSV and SBS: NaN, inf, huge and negative-zero numbers,
# time going backwards and duplicate times, dates in 1900 and 2200 (and out of range),
# negative altitudes, lat exactly +-90, lon exactly +-180 and just past it.
# Each input line below is marked: G well-formed, B bad (refused and reported with its
# line number), D well-formed but dropped (not newer than its track's last report; counted).
# The events of the whole input must be exactly those of its G lines alone.
source "$(dirname "$0")/testlib.sh"
Z="$FIXTURES/zones_basic.geojson"

# mark_split MARKED NAME: NAME.in (the input), NAME.good (header and G lines), NAME.bad (the
# numbers of the B lines), NAME.dropped (how many D lines).
mark_split() {
    sed 's/^. //' "$1" >"$TMP/$2.in"
    awk 'NR == 1 || /^G /' "$1" | sed 's/^. //' >"$TMP/$2.good"
    awk '/^B / {print NR}' "$1" >"$TMP/$2.bad"
    grep -c '^D ' "$1" >"$TMP/$2.dropped"
}

# run NAME [OPTIONS]: replay the input and its G lines; check what was refused, dropped
# and emitted.
run() {
    local n=$1
    shift
    "$AW" replay --zones "$Z" "$@" "$TMP/$n.in" >"$TMP/$n.out" 2>"$TMP/$n.err"
    expect "$n: replay exits 0 despite the bad lines" [ $? -eq 0 ]
    "$AW" replay --zones "$Z" "$@" "$TMP/$n.good" >"$TMP/$n.want" 2>"$TMP/$n.good.err"
    grep -o "^$TMP/$n.in:[0-9]*: bad line" "$TMP/$n.err" | cut -d: -f2 >"$TMP/$n.badseen"
    expect "$n: bad lines reported by number ($(tr '\n' ' ' <"$TMP/$n.bad"))" cmp -s "$TMP/$n.bad" "$TMP/$n.badseen"
    cmp -s "$TMP/$n.bad" "$TMP/$n.badseen" || cat "$TMP/$n.err"
    expect_grep "$n: bad lines counted" "$(wc -l <"$TMP/$n.bad") bad lines" "$TMP/$n.err"
    expect_grep "$n: dropped lines counted" "$(cat "$TMP/$n.dropped") dropped (stale/duplicate)" "$TMP/$n.err"
    expect_grep "$n: the G lines alone are all good" " 0 bad lines" "$TMP/$n.good.err"
    expect "$n: events exactly those of the G lines alone ($(wc -l <"$TMP/$n.want"))" cmp -s "$TMP/$n.out" "$TMP/$n.want"
    expect_no_grep "$n: no negative zero printed" '-0\.0*[,}]' "$TMP/$n.out"
}
# has NAME DESCRIPTION PATTERN: an event of NAME matches
has() { expect_grep "$1: $2" "$3" "$TMP/$1.out"; }

cat >"$TMP/csv.marked" <<'EOF'
H time,id,lat,lon,alt_ft
G 2023-11-15T00:00:00Z,n1,0,-0.5,30000
B 2023-11-15T00:01:00Z,n1,nan,0.5,30000
B 2023-11-15T00:01:00Z,n1,0,inf,30000
B 2023-11-15T00:01:00Z,n1,0,0.5,1e999
B 2023-11-15T00:01:00Z,n1,0,0.5,-inf
B 2023-11-15T00:01:00Z,n1,0,1e308,30000
B 2023-11-15T00:01:00Z,n1,NaN,0.5,30000
B 2023-11-15T00:01:00Z,n1,0,0.5,-1e400
G 2023-11-15T00:01:00Z,n1,-0,0.5,-0
D 2023-11-15T00:01:00Z,n1,0,0.6,30000
D 2023-11-15T00:00:30Z,n1,0,0.7,30000
G 2023-11-15T00:02:00Z,n1,0,1.5,-300
G 2023-11-15T00:00:00Z,z1,-0.0,0.5,-0.0
G 1900-01-01T00:00:00Z,d1900,0,-0.5,100
G 1900-01-01T00:02:00Z,d1900,0,1.5,100
G -2208988800,e1900,0,-0.5,100
G -2208988680,e1900,0,1.5,100
G 2200-01-01T00:00:00Z,d2200,0,-0.5,100
G 2200-01-01T00:02:00Z,d2200,0,1.5,100
G 9999-12-31T23:59:59.999Z,d9999,0,0.5,100
B 0000-06-01T00:00:00Z,d0,0,0.5,100
B 253402300800,d10000,0,0.5,100
B 100000000000000000000,d10000,0,0.5,100
G 2023-11-15T00:00:00Z,p1,90,45,35000
G 2023-11-15T00:01:00Z,p1,89.9,45,35000
G 2023-11-15T00:00:00Z,p2,-90,0,35000
B 2023-11-15T00:01:00Z,p2,-90.0000001,0,35000
B 2023-11-15T00:01:00Z,p2,90.0000001,0,35000
G 2023-11-15T00:00:00Z,a1,0,179.5,30000
G 2023-11-15T00:01:00Z,a1,0,180,30000
G 2023-11-15T00:02:00Z,a1,0,-180,30000
B 2023-11-15T00:03:00Z,a1,0,180.0000001,30000
B 2023-11-15T00:03:00Z,a1,0,-180.0000001,30000
G 2023-11-15T00:03:00Z,a1,0,-179.5,30000
G 2023-11-15T00:04:00Z,a1,0,-178.5,30000
G 2023-11-15T00:00:00Z,b1,0,2.5,-500
G 2023-11-15T00:01:00Z,b1,0,2.5,15000
EOF
mark_split "$TMP/csv.marked" csv
run csv
has csv "crossing into a zone with -0 lat and alt" '"track":"n1","zone":"square","time":"2023-11-15T00:00:30.000Z","lat":0.0000000,"lon":0.0000000,"alt_ft":15000.0}'
has csv "a negative altitude interpolated" '"track":"n1","zone":"square","time":"2023-11-15T00:01:30.000Z",.*"alt_ft":-150.0,'
has csv "-0 altitude prints as 0.0" '"track":"z1","zone":"square",.*"alt_ft":0.0}'
has csv "year 1900" '"track":"d1900","zone":"square","time":"1900-01-01T00:00:30.000Z"'
has csv "year 1900 as epoch seconds" '"track":"e1900","zone":"square","time":"1900-01-01T00:00:30.000Z"'
has csv "year 2200" '"type":"exit".*"track":"d2200","zone":"square","time":"2200-01-01T00:01:30.000Z"'
has csv "the last millisecond of 9999" '"track":"d9999","zone":"square","time":"9999-12-31T23:59:59.999Z"'
has csv "across the antimeridian by way of lon 180 and -180: out at 181 (-179)" \
    '"type":"exit","cause":"crossing","track":"a1","zone":"dateline","time":"2023-11-15T00:03:30.000Z","lat":0.0000000,"lon":-179.0000000'
expect "csv: one visit of the antimeridian zone for a1" [ "$(grep -c '"track":"a1"' "$TMP/csv.out")" -eq 2 ]
has csv "a climb from below sea level into a band" '"type":"enter","cause":"crossing","track":"b1","zone":"banded",.*"alt_ft":10000.0}'
expect_no_grep "csv: the poles are positions like any other (G lines, no events here)" \
    '"track":"p[12]"' "$TMP/csv.out"

cat >"$TMP/sbs.marked" <<'EOF'
G MSG,3,1,1,AAA001,1,2023/11/15,00:00:00.000,2023/11/15,00:00:00.000,,30000,,,0,-0.5,,,,,,0
B MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,nan,,,0,0.5,,,,,,0
B MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,30000,,,inf,0.5,,,,,,0
B MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,30000,,,0,1e999,,,,,,0
B MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,1e400,,,0,0.5,,,,,,0
B MSG,4,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,,nan,inf,,,,,,,,0
G MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,-0,,,-0,0.5,,,,,,0
D MSG,3,1,1,AAA001,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,30000,,,0,0.6,,,,,,0
D MSG,3,1,1,AAA001,1,2023/11/15,00:00:59.999,2023/11/15,00:00:59.999,,30000,,,0,0.6,,,,,,0
G MSG,3,1,1,AAA001,1,2023/11/15,00:02:00.000,2023/11/15,00:02:00.000,,-300,,,0,1.5,,,,,,0
G MSG,3,1,1,AAA190,1,1900/01/01,00:00:00.000,1900/01/01,00:00:00.000,,100,,,0,-0.5,,,,,,0
G MSG,3,1,1,AAA190,1,1900/01/01,00:02:00.000,1900/01/01,00:02:00.000,,100,,,0,1.5,,,,,,0
G MSG,3,1,1,AAA220,1,2200/01/01,00:00:00.000,2200/01/01,00:00:00.000,,100,,,0,-0.5,,,,,,0
G MSG,3,1,1,AAA220,1,2200/01/01,00:02:00.000,2200/01/01,00:02:00.000,,100,,,0,1.5,,,,,,0
B MSG,3,1,1,AAA000,1,0000/01/01,00:00:00.000,0000/01/01,00:00:00.000,,100,,,0,0.5,,,,,,0
G MSG,3,1,1,AAA090,1,2023/11/15,00:00:00.000,2023/11/15,00:00:00.000,,100,,,90,180,,,,,,0
G MSG,3,1,1,AAA090,1,2023/11/15,00:01:00.000,2023/11/15,00:01:00.000,,100,,,89.9,-180,,,,,,0
B MSG,3,1,1,AAA090,1,2023/11/15,00:02:00.000,2023/11/15,00:02:00.000,,100,,,0,180.0000001,,,,,,0
B MSG,3,1,1,AAA090,1,2023/11/15,00:02:00.000,2023/11/15,00:02:00.000,,100,,,-90.0000001,0,,,,,,0
EOF
mark_split "$TMP/sbs.marked" sbs
run sbs
has sbs "crossing with -0 lat and alt" '"track":"aaa001","zone":"square","time":"2023-11-15T00:00:30.000Z","lat":0.0000000,"lon":0.0000000,"alt_ft":15000.0}'
has sbs "a negative altitude interpolated" '"track":"aaa001","zone":"square","time":"2023-11-15T00:01:30.000Z",.*"alt_ft":-150.0,'
has sbs "year 1900" '"track":"aaa190","zone":"square","time":"1900-01-01T00:00:30.000Z"'
has sbs "year 2200" '"track":"aaa220","zone":"square","time":"2200-01-01T00:01:30.000Z"'
finish
