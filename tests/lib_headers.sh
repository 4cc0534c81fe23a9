# lib_headers.sh -- every public header compiles on its own, in C17 and in C++.
#
# Usage: lib_headers.sh SOURCE_DIR BUILD_DIR CC [CXX]. A program includes what it uses and
# nothing more, so each header must bring what it needs itself; a C++ program must get C
# linkage (AW_BEGIN_DECLS). Each header is compiled alone, then twice (its guard), with
# the project's warnings as errors.
set -uo pipefail
SRC="$1"; BUILD="$2"; CC="$3"; CXX="${4:-}"
failures=0; checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
headers=$(cd "$SRC/include" && ls adizwatch/*.h; cd "$BUILD/include" && ls adizwatch/*.h)
[ "$(echo "$headers" | wc -l)" -ge 10 ] && ok "$(echo "$headers" | wc -l) public headers" ||
    fail "too few headers found"
for h in $headers; do
    printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" >"$TMP/t.c"
    if "$CC" -std=c17 -Wall -Wextra -Wpedantic -Werror -I"$SRC/include" -I"$BUILD/include" \
        -c "$TMP/t.c" -o "$TMP/t.o" 2>"$TMP/err"; then ok "C: $h"
    else fail "C: $h"; cat "$TMP/err"; fi
    if [ -n "$CXX" ] && command -v "$CXX" >/dev/null; then
        cp "$TMP/t.c" "$TMP/t.cc"
        if "$CXX" -std=c++17 -Wall -Wextra -Werror -I"$SRC/include" -I"$BUILD/include" \
            -c "$TMP/t.cc" -o "$TMP/t.o" 2>"$TMP/err"; then ok "C++: $h"
        else fail "C++: $h"; cat "$TMP/err"; fi
    fi
done
echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
