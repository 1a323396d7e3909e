#!/bin/sh
# Starts Debian's PostgreSQL in a container as the postgres user; on first start (empty PGDATA) creates the cluster
# with POSTGRES_USER / POSTGRES_PASSWORD (scram-sha-256 over TCP) and the database POSTGRES_DB, as the official image
# does. SIGTERM reaches the server (exec): a smart shutdown.
set -eu
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGDATA:=/var/lib/postgresql/data}"
[ -n "${POSTGRES_PASSWORD:-}" ] || { echo "replyclock-postgres: set POSTGRES_PASSWORD" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  chown postgres "$pwfile"
  runuser -u postgres -- "$bin/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then   # initdb made only "postgres"
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
    runuser -u postgres -- "$bin/createdb" -U "$POSTGRES_USER" -O "$POSTGRES_USER" "$POSTGRES_DB"
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -w stop >/dev/null
  fi
  echo "replyclock-postgres: created database $POSTGRES_DB owned by $POSTGRES_USER"
fi
exec runuser -u postgres -- "$bin/postgres" -D "$PGDATA"
