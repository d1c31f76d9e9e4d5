#!/usr/bin/env bash
# Runs CdcAspire without Docker: a throwaway PostgreSQL cluster with the seed schema (wal_level=logical), the
# Elasticsearch-compatible test server, and the sink service wired with the same environment variables the Aspire
# AppHost injects. Ctrl+C stops everything. For the full Aspire environment (real Elasticsearch, Kafka, Debezium,
# Kibana, dashboard) use the AppHost where Docker and nuget.org are available.
#   PG_PORT=54329 ES_PORT=9200 SINK_PORT=5080 GRPC_PORT=5081 scripts/run-local.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PG_PORT=${PG_PORT:-54329}; ES_PORT=${ES_PORT:-9200}; SINK_PORT=${SINK_PORT:-5080}; GRPC_PORT=${GRPC_PORT:-5081}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/cdcaspire-local.XXXXXX)
# Generated per run and passed by environment only: never written to a committed file.
pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
api_token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  kill "${es_pid:-}" "${sink_pid:-}" 2>/dev/null || true
  as_pg "$bin/pg_ctl" stop -D "$dir/data" -m fast >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
echo "$pg_password" > "$dir/pw"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile "$dir/pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
rm -f "$dir/pw"
cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
CONF
as_pg "$bin/pg_ctl" start -D "$dir/data" -w -l "$dir/server.log" >/dev/null
export PGPASSWORD=$pg_password
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE appdb"
sed -n '/public const string Ddl = """/,/""";/p;/public const string SeedRows = """/,/""";/p' tests/CdcAspire.Testing/Postgres/SeedSchema.cs \
  | grep -v '"""' | psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d appdb -q

for p in services/CdcAspire.Sink services/CdcAspire.Cli tests/CdcAspire.Testing.Host; do
  dotnet build "$p" -v quiet -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
done
dotnet tests/CdcAspire.Testing.Host/bin/Debug/net10.0/CdcAspire.Testing.Host.dll --port "$ES_PORT" >"$dir/es.log" 2>&1 &
es_pid=$!

export ConnectionStrings__appdb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$pg_password;Database=appdb"
export ConnectionStrings__elasticsearch="http://127.0.0.1:$ES_PORT"
export ASPNETCORE_URLS="http://127.0.0.1:$SINK_PORT" Cdc__Grpc__Port=$GRPC_PORT Cdc__Api__Token=$api_token
export Cdc__IndexTemplatesPath="$root/index-templates"
echo "PostgreSQL: psql -h 127.0.0.1 -p $PG_PORT -U postgres appdb   (PGPASSWORD is in this shell's environment only)"
echo "Elasticsearch test server: http://127.0.0.1:$ES_PORT   Sink status: http://127.0.0.1:$SINK_PORT/status"
(umask 077; echo "$api_token" > "$dir/api-token")
echo "CLI: dotnet services/CdcAspire.Cli/bin/Debug/net10.0/cdc.dll status --sink http://localhost:$GRPC_PORT"
echo "     pause/resume need the API token: export CDC_API_TOKEN=\$(cat $dir/api-token)"
# The content root (appsettings.json with the seed tables) is the working directory.
(cd services/CdcAspire.Sink/bin/Debug/net10.0 && exec dotnet CdcAspire.Sink.dll) &
sink_pid=$!
wait "$sink_pid"
