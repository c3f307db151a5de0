#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster on 127.0.0.1 for the test:pg suite.
# `start` prints `export SHOPDESK_PG_URL=…` for eval. Works as root (runs the server as the
# `postgres` user, creating it if the Debian package did not) or as an ordinary user.
set -euo pipefail
port="${SHOPDESK_PG_PORT:-55439}"
dir="${SHOPDESK_PG_DIR:-${TMPDIR:-/tmp}/shopdesk-ci-pg}"
bin="$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/sh postgres
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

case "${1:-}" in
  start)
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/sh postgres; chown postgres "$dir"; }
    as_db_user "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust --no-sync -E UTF8" >/dev/null
    as_db_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
    echo "export SHOPDESK_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_db_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
