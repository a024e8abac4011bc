# Shared helpers for scripts/demo, scripts/test and benchmarks/run. Sourced, not executed.
# Installs what the project needs from Debian's archive (apt only), idempotently: it asks apt only
# when a package is missing, so a second run is silent.

respio_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Everything the build, the tests, the fuzzers, the examples and the benchmarks use.
# libboost1.81-dev replaces Debian's default Boost 1.74 headers (the two cannot coexist).
respio_packages=(
    g++ clang cmake ninja-build pkg-config git
    libboost1.81-dev libssl-dev openssl
    libgtest-dev libclang-rt-14-dev libboost-context1.81-dev
    redis-server redis-tools libhiredis-dev
    python3 valgrind strace time
)

respio_need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then echo sudo; else
            echo "respio: missing packages and not root (no sudo): $*" >&2; return 1
        fi
    fi
}

respio_install_deps() {
    local missing=() p status
    for p in "${respio_packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
        [ "$status" = "install ok installed" ] || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo
    sudo=$(respio_need_root "${missing[@]}") || return 1
    echo "respio: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null || return 1
    # The Boost 1.74 -dev packages conflict with 1.81; apt removes them when asked for 1.81.
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

# respio_configure BUILD_DIR [cmake args...]: configure once, then only rebuild.
respio_configure() {
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        cmake -S "$respio_root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null || return 1
    fi
}

respio_jobs() {
    # Each test TU parses Asio (~400 MB peak); two jobs fit the 2-core machines.
    local n; n=$(nproc 2>/dev/null || echo 2)
    [ "$n" -gt 4 ] && n=4
    echo "$n"
}
