# lib_symbols.sh -- libadizwatch.so exports the documented API and nothing else.
#
# Usage: lib_symbols.sh LIBRARY SOURCE_DIR BUILD_DIR. Every dynamic symbol the library
# defines must be an aw_* function or object declared in a public header, and every
# function a public header declares must be exported; the soname carries the major
# version. The sanitizer build adds its own instrumentation symbols, which are set aside.
set -uo pipefail
LIB="$1"; SRC="$2"; BUILD="$3"
failures=0; checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

nm -D --defined-only "$LIB" | awk '{print $3}' | sed 's/@.*//' |
    grep -vE '^(__asan|__odr_asan|__ubsan|__sanitizer|___asan)' | sort -u >"$TMP/exported"
n=$(wc -l <"$TMP/exported")
[ "$n" -gt 100 ] && ok "$n symbols exported" || fail "only $n symbols exported"
others=$(grep -v '^aw_' "$TMP/exported" || true)
[ -z "$others" ] && ok "every exported symbol is aw_*" ||
    fail "exported symbols outside the API: $(echo $others | head -c 600)"

grep -ohE '\baw_[a-z0-9_]+[[:space:]]*\(' "$SRC"/include/adizwatch/*.h \
    "$BUILD"/include/adizwatch/version.h | tr -d '( \t' | sort -u >"$TMP/declared"
missing=$(comm -23 "$TMP/declared" "$TMP/exported")
[ -z "$missing" ] && ok "every function a public header declares is exported" ||
    fail "declared but not exported: $missing"
extra=$(comm -13 "$TMP/declared" "$TMP/exported")
[ -z "$extra" ] && ok "every exported symbol is declared in a public header" ||
    fail "exported but declared nowhere public: $extra"

soname=$(objdump -p "$LIB" | awk '/SONAME/ {print $2}')
major=$(sed -n 's/^#define AW_VERSION_MAJOR //p' "$BUILD/include/adizwatch/version.h")
[ "$soname" = "libadizwatch.so.$major" ] && ok "soname $soname" ||
    fail "soname '$soname', wanted libadizwatch.so.$major"
echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
