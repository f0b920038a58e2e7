#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from Debian's packages for the test run and prints its
# DATABASE_URL. Usage: scripts/postgres.sh start DIR | scripts/postgres.sh stop DIR
# It also creates the two roles of scripts/postgres-roles.sql (commonground_migrate, which owns the
# database commonground_roles, and commonground_site, which may only read and write its rows) for
# tests/web/test_database_roles.py.
set -euo pipefail
action=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
port=${PGPORT_TEST:-54329}
as_owner() {
  # PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
      -v owner=commonground_migrate -v site=commonground_site -v database=commonground_roles \
      <"$(dirname "$0")/postgres-roles.sql" >"$dir/roles.log" 2>&1
    echo "postgres://postgres@127.0.0.1:$port/commonground"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
