# cli_help.sh -- every command answers --help, listing every option its parser takes.
#
# The options are read from the parsers themselves (src/cli/cmd_*.c: getopt tables and
# the "--name" literals of hand-written loops), so an option added there and not to
# src/cli/help.c fails here. The man page and the completion, generated from help.c,
# are checked for the same options.
source "$(dirname "$0")/testlib.sh"
SRC="$TESTS/.."
BUILD="$(dirname "$AW")"

# The options a command's source accepts.
options_of() {
    local files=("$SRC/src/cli/cmd_$1.c")
    case "$1" in watch) files+=("$SRC/src/cli/cmd_replay.c") ;; esac # parse_run_options
    grep -ohE '\{"[a-z][a-z-]*", *(no|required|optional)_argument|"--[a-z][a-z-]*[="]' \
        "${files[@]}" | sed -E 's/^\{"([a-z-]+)".*/\1/; s/^"--([a-z-]+).*/\1/' |
        grep -vx help | sort -u
}

commands=$(grep -oE '\{"[a-z]+", cmd_[a-z]+\}' "$SRC/src/cli/main.c" | sed -E 's/\{"([a-z]+)".*/\1/')
[ "$(echo "$commands" | wc -l)" -ge 12 ] && ok "$(echo "$commands" | wc -l) commands dispatched" ||
    fail "too few commands found in main.c"

"$AW" --help >"$TMP/top" 2>&1
expect "adizwatch --help exits 0" [ $? -eq 0 ]
"$AW" >/dev/null 2>"$TMP/none"
expect "adizwatch alone is bad usage (2)" [ $? -eq 2 ]
expect_grep "... and prints the help" "replay" "$TMP/none"
"$AW" --version >"$TMP/version"
expect "--version exits 0" [ $? -eq 0 ]
expect_grep "--version names the version" "^adizwatch [0-9]*\.[0-9]*\.[0-9]* (library [0-9.]*)$" \
    "$TMP/version"
man="$BUILD/man/adizwatch.1"
completion="$BUILD/completion/adizwatch"
expect "the man page was generated" [ -s "$man" ]
expect "the completion was generated" [ -s "$completion" ]

for c in $commands; do
    grep -qE "^  $c " "$TMP/top" && ok "top-level help lists $c" || fail "top-level help lacks $c"
    grep -q "^\.SS $c$" "$man" && ok "man page has $c" || fail "man page lacks $c"
    "$AW" "$c" --help >"$TMP/$c" 2>"$TMP/$c.err"
    rc=$?
    [ $rc -eq 0 ] && ok "$c --help exits 0" || { fail "$c --help exits $rc"; cat "$TMP/$c.err"; }
    expect_grep "$c --help starts with its usage" "^usage: adizwatch $c" "$TMP/$c"
    opts=$(options_of "$c")
    [ -n "$opts" ] || { fail "no options found for $c in its source"; continue; }
    for o in $opts; do
        grep -qE -- "^  --$o( |$)" "$TMP/$c" && ok "$c --help lists --$o" ||
            fail "$c --help lacks --$o (add it to src/cli/help.c)"
        sed -n "/^\.SS $c$/,/^\.SS /p" "$man" | sed 's/\\-/-/g' | grep -qE -- "^\.B --$o( |$)" &&
            ok "man page lists $c --$o" || fail "man page lacks $c --$o"
        grep -qE -- "^    $c\) opts=\".*--$o " "$completion" && ok "completion of $c has --$o" ||
            fail "completion of $c lacks --$o"
    done
done
# The options README promised and the old top-level help left out.
for o in advise friendly trail-interval idle-timeout; do
    grep -q -- "--$o" "$TMP/watch" && ok "watch --help lists --$o" || fail "watch --help lacks --$o"
done
# `-h` after the command, and help COMMAND, say the same.
"$AW" simulate -h >"$TMP/h" && cmp -s "$TMP/h" "$TMP/simulate" && ok "simulate -h = --help" ||
    fail "simulate -h differs from --help"
"$AW" help zones >"$TMP/hz" && cmp -s "$TMP/hz" "$TMP/zones" && ok "help zones = zones --help" ||
    fail "help zones differs"
"$AW" help nosuch >/dev/null 2>&1
expect "help of an unknown command is bad usage" [ $? -eq 2 ]
if command -v groff >/dev/null; then
    groff -man -ww -z "$man" 2>"$TMP/groff"
    [ ! -s "$TMP/groff" ] && ok "groff reads the man page without warnings" ||
        { fail "groff warns"; head "$TMP/groff"; }
fi
bash -n "$completion" && ok "the completion is valid bash" || fail "completion: bash -n fails"
finish
