# setup.sh -- sourced by the other scripts: install what is missing, then build.
#
# Everything adizwatch needs comes from Debian packages. Only missing packages are
# installed, so a machine that has them all runs no apt at all.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(gcc make cmake pkg-config libproj-dev libjansson-dev libsqlite3-dev sqlite3 python3
          libmicrohttpd-dev chromium curl openssl libcairo2-dev libfontconfig-dev
          fonts-dejavu-core tzdata                               # --tz Area/City
          libjs-leaflet r-cran-rnaturalearthdata python3-shapely # the maps: Leaflet, land
          zlib1g-dev libpcap-dev                                 # feeds: gzip traces, pcap
          libcurl4-gnutls-dev                                    # feeds: watch --poll URL
          libinih-dev libmosquitto-dev libnats-dev               # alerts: rules, MQTT, NATS
          mosquitto mosquitto-clients nats-server                # ... and their tests
          python3-pyproj                                         # tests: zone_oracle.py
)

install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The browser test's driver (playwright-core), exactly as web/package-lock.json pins it.
# The build needs no npm: the map's Leaflet and land come from Debian packages (above).
# Node and npm come from Debian unless some node is installed already.
install_web() {
    if ! command -v npm >/dev/null; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    if [ ! -f "$ROOT/web/node_modules/.package-lock.json" ] ||
       [ "$ROOT/web/package-lock.json" -nt "$ROOT/web/node_modules/.package-lock.json" ]; then
        echo "== npm ci --prefix web"
        npm ci --prefix "$ROOT/web" --no-audit --no-fund
    fi
}

# What building the Debian packages needs beyond PACKAGES (scripts/package only).
PACKAGING=(debhelper dpkg-dev lintian)

# build DIR [cmake options...]
build() {
    local dir="$1"; shift
    install_web
    cmake -S "$ROOT" -B "$ROOT/$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
    cmake --build "$ROOT/$dir" -j"$(nproc)"
}
