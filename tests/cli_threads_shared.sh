#!/usr/bin/env bash
# The reference cases of ../shared/data/cases replayed with --threads 2 and 3: the same
# bytes as --threads 1 (events, messages, summary, exit status), and still matching
# expected.jsonl with the shared compare tool (src/pipeline/parallel.c).
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
        "$AW" replay --zones "$dir/zones.geojson" $opts --threads 1 "$dir/$file" >"$TMP/one" 2>"$TMP/one.err"
        echo "exit $?" >>"$TMP/one"
        for n in 2 3; do
            # shellcheck disable=SC2086
            "$AW" replay --zones "$dir/zones.geojson" $opts --threads $n "$dir/$file" >"$TMP/many" 2>"$TMP/many.err"
            echo "exit $?" >>"$TMP/many"
            expect "$name/$file --threads $n: the events of one thread" cmp -s "$TMP/one" "$TMP/many"
            expect "$name/$file --threads $n: the messages and summary of one thread" \
                cmp -s "$TMP/one.err" "$TMP/many.err"
        done
        expect "$name/$file: events to compare" [ "$(wc -l <"$TMP/many")" -gt 5 ]
        head -n -1 "$TMP/many" >"$TMP/many.jsonl"
        $PY "$COMPARE" "$TMP/many.jsonl" "$dir/expected.jsonl" >"$TMP/cmp"
        last=$(tail -n 1 "$TMP/cmp")
        if [[ "$last" =~ \(100\.0%\),\ extra\ 0$ ]]; then
            ok "$name/$file --threads 3: $last"
        else
            fail "$name/$file --threads 3: $last"
            cat "$TMP/cmp"
        fi
    done
done
expect "the reference cases were compared ($checks)" [ "$checks" -gt 0 ]
finish
