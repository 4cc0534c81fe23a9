# build_offline.sh -- configure and build with no npm, no node and no web/node_modules.
#
# Usage: build_offline.sh SOURCE_DIR CC. The source is copied without web/node_modules
# (and without build directories), PATH is cut down to a directory of links to every
# program but npm, npx, node and corepack, and the library and the command are configured
# and built from scratch: the map's Leaflet and land must come from Debian packages.
set -uo pipefail
SRC="$1"; CC="$2"
failures=0; checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

mkdir "$TMP/bin" "$TMP/src"
for d in /usr/local/bin /usr/bin /bin; do
    for f in "$d"/*; do
        n=$(basename "$f")
        case "$n" in npm | npx | node | nodejs | corepack) continue ;; esac
        [ -e "$TMP/bin/$n" ] || ln -s "$f" "$TMP/bin/$n"
    done
done
tar -C "$SRC" --exclude=./web/node_modules --exclude='./build*' --exclude=./.git -cf - . |
    tar -C "$TMP/src" -xf -
export PATH="$TMP/bin"
! command -v npm >/dev/null && ! command -v node >/dev/null && ok "no npm nor node on PATH" ||
    fail "npm or node still on PATH"
[ ! -e "$TMP/src/web/node_modules" ] && ok "no web/node_modules in the copy" || fail "node_modules copied"

if cmake -S "$TMP/src" -B "$TMP/build" -DCMAKE_C_COMPILER="$CC" -DBUILD_TESTING=OFF \
    -DADIZWATCH_EXAMPLES=OFF >"$TMP/configure.log" 2>&1; then ok "configure without npm"
else fail "configure without npm"; tail -20 "$TMP/configure.log"; fi
if cmake --build "$TMP/build" -j2 --target adizwatch adizwatch_shared >"$TMP/build.log" 2>&1
then ok "build the library and the command without npm"
else fail "build without npm"; tail -30 "$TMP/build.log"; fi
"$TMP/build/adizwatch" --version >/dev/null && ok "the command runs" || fail "the command"
grep -q "Leaflet" "$TMP/build/generated/web_leaflet_js.c" 2>/dev/null ||
    grep -qa "Leaflet" "$TMP/build/adizwatch" && ok "Leaflet is embedded" || fail "no Leaflet embedded"
[ -s "$TMP/build/generated/land-50m.json" ] && ok "the land was built from Debian's Natural Earth" ||
    fail "no land built"
# (Both files must be there: a grep of missing files would find nothing and pass.)
[ -s "$TMP/build/CMakeCache.txt" ] && [ -s "$TMP/build/CMakeFiles/Makefile2" ] &&
    ! grep -rq node_modules "$TMP/build/CMakeCache.txt" "$TMP/build/CMakeFiles/Makefile2" &&
    ok "nothing in the build refers to node_modules" || fail "the build refers to node_modules (or was not configured)"
echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
