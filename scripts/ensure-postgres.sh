#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on $PGHOST:$PGPORT (default 127.0.0.1:5432) with
# trust authentication for user postgres. If nothing answers, install Debian's postgresql
# package when missing and start a private, throwaway cluster (fsync off) on that port.
# Prints the data directory of a cluster it started (empty when one was already running).
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
port_open() { (exec 3<>"/dev/tcp/$PGHOST/$PGPORT") 2>/dev/null; }

if port_open; then
  exit 0
fi
echo "Không có PostgreSQL tại $PGHOST:$PGPORT: khởi động một máy chủ riêng." >&2
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
PGDATA=$(mktemp -d /tmp/parindex-pg.XXXXXX)
chown postgres:postgres "$PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-c listen_addresses=$PGHOST -c port=$PGPORT -c fsync=off -c full_page_writes=off -c unix_socket_directories=$PGDATA" \
  start >&2
for _ in $(seq 1 60); do port_open && break; sleep 0.5; done
port_open || { echo "PostgreSQL không khởi động được; xem $PGDATA/server.log" >&2; exit 1; }
echo "$PGDATA"
