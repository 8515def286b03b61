#!/bin/sh
# Runs a command beside a PostgreSQL 15 server with PostGIS 3 of its own: a new cluster in a
# temporary folder, on a free port of 127.0.0.1, stopped and removed when the command ends (also
# when it fails or is interrupted). The command finds the server in WIJKKOMPAS_TEST_PG (a URL of
# the database `wijkkompas`, as its superuser) and the two accounts the documentation describes
# in WIJKKOMPAS_TEST_PG_OWNER (owns the schema) and WIJKKOMPAS_TEST_PG_SYNC (reads and adds).
# The server speaks TLS too, with a certificate of a test authority made here
# (WIJKKOMPAS_TEST_PG_CA); the URLs above say sslmode=disable, a TLS test asks for it.
#
# PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` account that the
# Debian package made, and the server runs as that account.
set -eu
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/postgres" ] || { echo "with-postgres: PostgreSQL 15 is not installed (make deps installs it)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/wijkkompas-pg-XXXXXX")
as_owner=""
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner="runuser -u postgres --"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
stop() {
  $as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
$as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# A test certificate authority, and the server's certificate for 127.0.0.1 signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Wijkkompas test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
  -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
chmod 600 "$dir/server.key"
if [ -n "$as_owner" ]; then chown postgres "$dir/server.key" "$dir/server.crt"; fi
$as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE wijkkompas"
# What the documentation asks of a database administrator, once (docs/postgis-schema.md).
psql -d wijkkompas <<SQL
CREATE EXTENSION postgis;
CREATE ROLE wijkkompas_owner LOGIN PASSWORD 'owner-secret';
CREATE ROLE wijkkompas_sync LOGIN PASSWORD 'sync-secret';
GRANT CREATE ON DATABASE wijkkompas TO wijkkompas_owner;
SQL
export WIJKKOMPAS_TEST_PG="postgres://postgres@127.0.0.1:$port/wijkkompas?sslmode=disable"
export WIJKKOMPAS_TEST_PG_OWNER="postgres://wijkkompas_owner:owner-secret@127.0.0.1:$port/wijkkompas?sslmode=disable"
export WIJKKOMPAS_TEST_PG_SYNC="postgres://wijkkompas_sync:sync-secret@127.0.0.1:$port/wijkkompas?sslmode=disable"
export WIJKKOMPAS_TEST_PG_CA="$dir/ca.crt"
"$@"
