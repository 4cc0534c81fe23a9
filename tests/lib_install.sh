# lib_install.sh -- `cmake --install` into a fresh prefix, then the examples built against
# what was installed, through pkg-config, as a user of the library builds them.
#
# Usage: lib_install.sh BUILD_DIR SOURCE_DIR CC [EXTRA_CFLAGS]. EXTRA_CFLAGS carries the
# sanitizer flags in the sanitizer build (its library needs their runtime).
set -uo pipefail
BUILD="$1"; SRC="$2"; CC="$3"; EXTRA="${4:-}"
FIX="$SRC/tests/fixtures"
failures=0; checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
P="$TMP/prefix with space"

cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1 &&
    ok "cmake --install into a new prefix" || { fail "cmake --install"; cat "$TMP/install.log"; }
libdir=$(dirname "$(find "$P" -name libadizwatch.so.0 | head -1)")
ver=$(sed -n 's/^#define AW_VERSION_STRING "\(.*\)"/\1/p' "$BUILD/include/adizwatch/version.h")
for f in bin/adizwatch "${libdir#"$P"/}/libadizwatch.so.$ver" "${libdir#"$P"/}/libadizwatch.so.0" \
         "${libdir#"$P"/}/libadizwatch.so" "${libdir#"$P"/}/libadizwatch.a" \
         "${libdir#"$P"/}/pkgconfig/adizwatch.pc" include/adizwatch/engine.h \
         include/adizwatch/version.h include/adizwatch/export.h \
         share/man/man1/adizwatch.1 share/man/man5/adizwatch-zones.5 \
         share/man/man3/libadizwatch.3 share/bash-completion/completions/adizwatch; do
    [ -e "$P/$f" ] && ok "installed $f" || fail "not installed: $f"
done
(cd "$P" && find . -type f -o -type l | sort) >"$TMP/files"
echo "installed files:"; sed 's/^/    /' "$TMP/files"
[ -z "$(find "$P/include" -name '*.in')" ] && ok "no template installed" || fail "a .in installed"

"$P/bin/adizwatch" --version | grep -qx "adizwatch $ver (library $ver)" &&
    ok "installed adizwatch --version says $ver" || fail "installed --version"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
cflags=$(pkg-config --cflags adizwatch) && libs=$(pkg-config --libs adizwatch) &&
    ok "pkg-config knows adizwatch: $cflags $libs" || fail "pkg-config --cflags --libs adizwatch"
[ "$(pkg-config --modversion adizwatch)" = "$ver" ] && ok "pkg-config version $ver" ||
    fail "pkg-config --modversion"
pkg-config --variable=prefix adizwatch | grep -qxF "$P" && ok ".pc prefix is the install prefix" ||
    fail ".pc prefix: $(pkg-config --variable=prefix adizwatch)"

# pkg-config quotes nothing: a prefix with a space needs its flags taken apart by hand.
inc="$P/include"
for ex in replay_csv classify_points own_loop; do
    if $CC -std=c17 -Wall -Wextra -Werror $EXTRA -I"$inc" "$SRC/examples/$ex.c" -o "$TMP/$ex" \
        -L"$libdir" -ladizwatch 2>"$TMP/cc.err"; then ok "example $ex builds against the installed library"
    else fail "example $ex does not build"; cat "$TMP/cc.err"; fi
done
# ... and with pkg-config's own flags, in a prefix without spaces.
ln -s "$P" "$TMP/p"
PKG_CONFIG_PATH="$TMP/p/${libdir#"$P"/}/pkgconfig" PKG_CONFIG_SYSROOT_DIR= \
    sh -c "sed 's|^prefix=.*|prefix=$TMP/p|' '$libdir/pkgconfig/adizwatch.pc' > '$TMP/adizwatch.pc'"
if PKG_CONFIG_PATH="$TMP" $CC -std=c17 -Wall -Wextra -Werror $EXTRA \
    $(PKG_CONFIG_PATH="$TMP" pkg-config --cflags adizwatch) "$SRC/examples/own_loop.c" \
    -o "$TMP/own_loop_pc" $(PKG_CONFIG_PATH="$TMP" pkg-config --libs adizwatch) 2>"$TMP/cc.err"
then ok "cc \$(pkg-config --cflags --libs adizwatch) builds an example"
else fail "the pkg-config build"; cat "$TMP/cc.err"; fi
export LD_LIBRARY_PATH="$libdir"
ldd "$TMP/own_loop" >"$TMP/ldd"
grep -qF "libadizwatch.so.0 => $libdir/libadizwatch.so.0" "$TMP/ldd" &&
    ok "the examples load the installed libadizwatch.so.0" || { fail "ldd"; cat "$TMP/ldd"; }

# 1. replay a CSV: the same events as the installed adizwatch replay, byte for byte.
"$TMP/replay_csv" "$FIX/zones_basic.geojson" "$FIX/tracks_basic.csv" >"$TMP/ex.jsonl" 2>"$TMP/ex.err"
"$P/bin/adizwatch" replay --zones "$FIX/zones_basic.geojson" "$FIX/tracks_basic.csv" \
    >"$TMP/cli.jsonl" 2>/dev/null
[ -s "$TMP/cli.jsonl" ] && cmp -s "$TMP/ex.jsonl" "$TMP/cli.jsonl" &&
    ok "replay_csv: $(wc -l <"$TMP/ex.jsonl") events, the same as adizwatch replay" ||
    { fail "replay_csv differs from adizwatch replay"; diff "$TMP/ex.jsonl" "$TMP/cli.jsonl" | head; }

# 2. classify points: answers known from the fixture's geometry.
printf '0 0.5\n0 2.5\n0 5\n0.5 180\n-0.9 179.5\n' | "$TMP/classify_points" "$FIX/zones_basic.geojson" \
    >"$TMP/points" 2>&1
cat >"$TMP/points.want" <<'WANT'
0.000000 0.500000 square
0.000000 2.500000 banded
0.000000 5.000000 -
0.500000 180.000000 dateline
-0.900000 179.500000 dateline
WANT
cmp -s "$TMP/points" "$TMP/points.want" && ok "classify_points: zones of 5 points" ||
    { fail "classify_points"; diff "$TMP/points" "$TMP/points.want"; }

# 3. the engine in one's own loop: in and out of square, into banded, lost there.
"$TMP/own_loop" "$FIX/zones_basic.geojson" >"$TMP/loop" 2>"$TMP/loop.err"
awk '{print $2, $3, $4, $5}' "$TMP/loop" >"$TMP/loop.short"
printf '%s\n' "abc123 enter square (crossing)" "abc123 exit square (crossing)" \
    "abc123 enter banded (crossing)" "abc123 exit banded (lost)" >"$TMP/loop.want"
cmp -s "$TMP/loop.short" "$TMP/loop.want" && ok "own_loop: enter/exit square, enter banded, lost" ||
    { fail "own_loop"; cat "$TMP/loop"; }
grep -q "running with $ver" "$TMP/loop.err" && ok "own_loop sees aw_version() $ver" ||
    fail "own_loop version line"

# The static library links a program that needs no libadizwatch.so.
if [ -z "$EXTRA" ]; then
    # libadizwatch.a, its dependencies shared (Debian ships few of their static builds).
    static_libs="$(pkg-config --libs $(pkg-config --print-requires-private adizwatch)) -lm -pthread"
    if $CC -std=c17 -I"$inc" "$SRC/examples/classify_points.c" "$libdir/libadizwatch.a" \
        $static_libs -o "$TMP/classify_static" 2>"$TMP/cc.err"; then
        ldd "$TMP/classify_static" >"$TMP/ldd"
        ! grep -q libadizwatch "$TMP/ldd" &&
            echo "0 0.5" | "$TMP/classify_static" "$FIX/zones_basic.geojson" | grep -q square &&
            ok "an example linked with libadizwatch.a runs" || fail "static example"
    else fail "static link"; cat "$TMP/cc.err"; fi
fi
echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
