# Sourced by scripts/*: installing Debian packages and building. Not meant to be run directly.
set -euo pipefail

TL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages the build, the tests and the demo need. One list, one place.
TL_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsodium-dev libleveldb-dev libsnappy-dev libboost-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev
  libxml2-dev libcsv-dev tzdata
  clang libclang-rt-14-dev
  lua5.4
  beancount ledger hledger
  libpqxx-dev postgresql-15
  libcpp-httplib-dev
  iproute2 iptables
)

tl_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs only what is missing, so a machine that has everything does not touch the network.
tl_install_deps() {
  local missing=()
  local pkg
  for pkg in "${TL_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    tl_sudo apt-get update
    tl_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# tl_build BUILD_DIR [extra cmake args...]: configure with Ninja (once) and build with -j2.
# TL_TARGETS="a b" builds only those targets.
tl_build() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$TL_ROOT" -B "$dir" -G Ninja "$@"
  fi
  local targets=()
  local target
  for target in ${TL_TARGETS:-}; do targets+=(--target "$target"); done
  cmake --build "$dir" -j "${TL_JOBS:-2}" "${targets[@]}"
}

# A throwaway PostgreSQL 15 server (Debian's postgresql-15) for the demo's `erp sync`: trust
# authentication for user `tl` on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root
# it runs as the `postgres` system user, in a folder of its own under /tmp.
TL_PG_BIN="${TL_PG_BIN:-/usr/lib/postgresql/15/bin}"
tl_pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# tl_pg_start DIR PORT
tl_pg_start() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if ! tl_pg_run "$TL_PG_BIN/initdb" -D "$dir/data" -U tl -A trust -E UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi
  if ! tl_pg_run "$TL_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null; then
    cat "$dir/server.log" >&2
    return 1
  fi
}
# tl_pg_stop DIR: stops the server (if it runs) and removes its folder.
tl_pg_stop() {
  [ -d "$1/data" ] && tl_pg_run "$TL_PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$1"
}
