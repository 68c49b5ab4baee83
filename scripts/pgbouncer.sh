#!/usr/bin/env bash
# Starts Debian's PgBouncer in transaction mode in front of a PostgreSQL, for tests and benchmarks
# (the third database target beside PGlite and direct PostgreSQL; docs/deploy.md for production).
#   scripts/pgbouncer.sh start <dir> <port> [upstream-host] [upstream-port]   → prints the pooled DATABASE_URL
#   scripts/pgbouncer.sh stop <dir>
# Trust authentication, as the local test PostgreSQL. PgBouncer refuses to run as root: it runs as
# the owner of <dir> (postgres when started by root). Pool: 40 server connections per database/user,
# up to 2,000 clients; settings below.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
case "$cmd" in
  start)
    port=${3:?port}; uphost=${4:-127.0.0.1}; upport=${5:-5432}
    command -v pgbouncer >/dev/null 2>&1 || { echo "没有 pgbouncer：apt-get install pgbouncer" >&2; exit 1; }
    mkdir -p "$dir"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=$uphost port=$upport
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-40}
max_client_conn = 2000
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    echo '"postgres" ""' >"$dir/users.txt"
    user=()
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; user=(-u postgres); fi
    pgbouncer -d "${user[@]}" "$dir/pgbouncer.ini"
    for _ in $(seq 50); do
      if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "postgres://postgres@127.0.0.1:$port/test"; exit 0; fi
      sleep 0.1
    done
    echo "pgbouncer 未在端口 $port 上启动（见 $dir/pgbouncer.log）" >&2; exit 1 ;;
  stop)
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true ;;
  *) echo "用法：$0 start <dir> <port> | stop <dir>" >&2; exit 2 ;;
esac
