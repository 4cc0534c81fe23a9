#!/usr/bin/env bash
# The reference cases in ../shared/data/cases: replaying each case's tracks.csv (and its
# raw sbs.csv, receiver clock UTC+9) must match expected.jsonl with the shared compare
# tool: 100 % matched, no extras; with --threads 2 and 3, byte for byte what one thread
# gives (run under ThreadSanitizer too: label "threads").
source "$(dirname "$0")/testlib.sh"
CASES="${SHARED:-$TESTS/../../shared}/data/cases"
COMPARE="${SHARED:-$TESTS/../../shared}/tools/compare.py"
need_shared "$CASES" "$COMPARE"
for dir in "$CASES"/*/; do
    name=$(basename "$dir")
    inputs=("tracks.csv:")
    [ -f "$dir/sbs.csv" ] && inputs+=("sbs.csv:--tz +09:00")
    for spec in "${inputs[@]}"; do
        file=${spec%%:*}
        opts=${spec#*:}
        # shellcheck disable=SC2086
        "$AW" replay --zones "$dir/zones.geojson" $opts "$dir/$file" >"$TMP/$name.jsonl" 2>"$TMP/err"
        if [ $? -ne 0 ]; then fail "$name/$file: replay failed"; cat "$TMP/err"; continue; fi
        # replay --threads (src/pipeline/parallel.c): the same bytes as one thread.
        for n in 2 3; do
            # shellcheck disable=SC2086
            "$AW" replay --zones "$dir/zones.geojson" $opts --threads $n "$dir/$file" \
                >"$TMP/threads.jsonl" 2>"$TMP/threads.err"
            expect "$name/$file --threads $n: the events of one thread" \
                cmp -s "$TMP/$name.jsonl" "$TMP/threads.jsonl"
            expect "$name/$file --threads $n: the messages and summary of one thread" \
                cmp -s "$TMP/err" "$TMP/threads.err"
        done
        $PY "$COMPARE" "$TMP/$name.jsonl" "$dir/expected.jsonl" >"$TMP/cmp"
        last=$(tail -n 1 "$TMP/cmp")
        if [[ "$last" =~ \(100\.0%\),\ extra\ 0$ ]]; then
            ok "$name/$file: $last"
        else
            fail "$name/$file: $last"
            cat "$TMP/cmp"
        fi
    done
done
expect "the reference cases were compared ($checks)" [ "$checks" -gt 0 ]
finish
