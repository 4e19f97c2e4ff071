#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback, run the given command with
# SPA_DESK_TEST_POSTGRES_URL pointing at it, and always stop the server afterwards.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2
  exit 1
fi
PORT=${SPA_DESK_TEST_POSTGRES_PORT:-54329}
PGTMP=$(mktemp -d /tmp/spa-desk-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres: "$PGTMP"
  RUNAS=(runuser -u postgres --)
fi

stop_server() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap stop_server EXIT INT TERM

"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
OPTIONS="-k $PGTMP -p $PORT -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if ! "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
    -o "$OPTIONS" start >/dev/null; then
  echo "with-postgres: the server did not start; its log follows" >&2
  cat "$PGTMP/server.log" >&2
  exit 1
fi
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PORT"
export SPA_DESK_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
# What a test needs to stop this server and start it again (the database outage test).
export SPA_DESK_TEST_POSTGRES_CTL="$PGBIN/pg_ctl"
export SPA_DESK_TEST_POSTGRES_DATA="$PGTMP/data"
export SPA_DESK_TEST_POSTGRES_OPTIONS="$OPTIONS"
export SPA_DESK_TEST_POSTGRES_LOG="$PGTMP/server.log"
export SPA_DESK_TEST_POSTGRES_RUNAS="${RUNAS[*]:-}"
set +e
"$@"
status=$?
set -e
exit $status
