#!/usr/bin/env bash
# Runs CMD... with a throw-away PostgreSQL server: initdb into a temporary
# folder (as the `postgres` user when run as root: initdb refuses root),
# start it on a free 127.0.0.1 port, export
#   NOTES_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres
# (trust authentication, loopback only), run CMD, then stop the server and
# remove the folder, also when CMD fails or the script is interrupted.
# Exits with CMD's status. Installs Debian's postgresql if no server
# binaries are found.
#   scripts/with-postgres.sh cargo test -p session-guard-notes-api
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/with-postgres.sh CMD [ARG...]" >&2; exit 2; }

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}
if ! PG_BIN=$(find_bin); then
  echo "with-postgres: no PostgreSQL server binaries; installing Debian's postgresql" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_bin) || { echo "with-postgres: postgresql installed but initdb/pg_ctl not found" >&2; exit 1; }
fi

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

dir=$(mktemp -d /tmp/notes-postgres.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
started=""
cleanup() {
  if [ -n "$started" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  port_is_free "$port" || continue
  if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; then
    started=1
    break
  fi
done
[ -n "$started" ] || { cat "$dir/server.log" >&2 2>/dev/null; echo "with-postgres: the server did not start" >&2; exit 1; }

export NOTES_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (removed afterwards)" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
