#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the tests: Debian's server binaries, its own data folder,
# a free loopback port, trust auth for the `postgres` superuser, durability switched off for speed.
#
#   tools/pg.sh start  [--dir DIR]   start (or reuse) the cluster; prints its connection string on stdout
#   tools/pg.sh status [--dir DIR]   prints the connection string and exits 0 when running, exits 3 when not
#   tools/pg.sh stop   [--dir DIR]   stops the cluster and removes its folder
#
# DIR defaults to $TRADING_PG_DIR or <repo>/.test-run/pg. Diagnostics go to stderr, so
# `cs=$(tools/pg.sh start)` captures just the connection string.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
[[ $# -gt 0 ]] && shift
dir="${TRADING_PG_DIR:-$repo_root/.test-run/pg}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --dir=*) dir="${1#--dir=}"; shift ;;
        *) echo "pg.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { echo "pg.sh: $*" >&2; }

usage() {
    sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

# Newest installed server major version; PG_BIN overrides.
find_pg_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
    local candidate
    candidate="$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1 || true)"
    if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then echo "$candidate"; fi
}

ensure_installed() {
    if [[ -n "$(find_pg_bin)" ]]; then return; fi
    if [[ $(id -u) -ne 0 ]]; then
        log "PostgreSQL server binaries are missing and we are not root: run 'apt-get install postgresql'"
        exit 1
    fi
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    if [[ -z "$(find_pg_bin)" ]]; then
        log "postgresql installed but no server binaries under /usr/lib/postgresql"
        exit 1
    fi
}

# initdb and postgres refuse to run as root: run them as the `postgres` OS user then.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    local port
    # The kernel's choice of an unused port; a random probe when python3 is missing or broken.
    if command -v python3 >/dev/null 2>&1 &&
        port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null)"; then
        echo "$port"
        return
    fi
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    log "no free port found"
    exit 1
}

# The cluster lives in $dir/data unless the `postgres` user cannot reach $dir (say, a clone
# under /root); then it lives in a private folder under /tmp whose path is kept in $dir/datadir.
data_dir() {
    if [[ -f "$dir/datadir" ]]; then cat "$dir/datadir"; else echo "$dir/data"; fi
}

conn_string() {
    echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres;Pooling=true"
}

is_running() {
    local data
    data="$(data_dir)"
    [[ -f "$data/PG_VERSION" && -f "$dir/port" ]] || return 1
    # pg_ctl status alone trusts the pid file, and a killed server can linger as a zombie.
    as_owner "$(find_pg_bin)/pg_ctl" status -D "$data" >/dev/null 2>&1 &&
        "$(find_pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -t 5
}

init_cluster() {
    local bin="$1" data="$dir/data"
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$dir"; then
        data="$(mktemp -d /tmp/trading-pg.XXXXXX)"
        echo "$data" >"$dir/datadir"
    else
        rm -f "$dir/datadir"
    fi
    mkdir -p "$data"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$data"; fi
    chmod 700 "$data"
    as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        log "initdb failed"
        exit 1
    }
    # Test settings: nothing here needs to survive a crash.
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<'EOF'

# tools/pg.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
logging_collector = off
EOF
}

start() {
    ensure_installed
    local bin port data attempt
    bin="$(find_pg_bin)"
    if is_running; then
        conn_string "$(cat "$dir/port")"
        return
    fi
    data="$(data_dir)"
    # A folder left by a crashed run is reused when it holds a cluster, recreated otherwise.
    if [[ ! -f "$data/PG_VERSION" ]]; then
        rm -rf "$dir"
        init_cluster "$bin"
        data="$(data_dir)"
    fi
    rm -f "$data/postmaster.pid"
    # Another process may take the port between the check and the bind: try a few.
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bin/pg_ctl" start -D "$data" -w -t 60 -o "-p $port" -l "$data/server.log" >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
            conn_string "$port"
            return
        fi
        log "start on port $port failed (attempt $attempt)"
    done
    tail -n 20 "$data/server.log" >&2 || true
    exit 1
}

stop() {
    local bin data
    bin="$(find_pg_bin || true)"
    data="$(data_dir)"
    if [[ -n "$bin" && -f "$data/PG_VERSION" ]]; then
        as_owner "$bin/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1 || true
    fi
    if [[ "$data" != "$dir/data" ]]; then rm -rf "$data"; fi
    rm -rf "$dir"
    log "stopped; removed $dir"
}

status() {
    if is_running; then
        conn_string "$(cat "$dir/port")"
    else
        log "not running ($dir)"
        exit 3
    fi
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
esac
