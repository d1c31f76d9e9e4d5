#!/usr/bin/env bash
# CdcAspire without Docker: a local PostgreSQL cluster whose data survives (the seed schema, wal_level=logical), the
# Elasticsearch-compatible test server, and the Aspire AppHost in existing-servers mode (dashboard, the four services,
# their logs, traces and metrics). Ctrl+C stops the services and the servers; the database is kept.
#
#   scripts/run-local.sh              start (first run creates the cluster in $CDC_LOCAL_DIR, default
#                                     ~/.local/share/cdcaspire-local, or /var/lib/cdcaspire-local as root)
#   scripts/run-local.sh --no-apphost start the sink alone instead of the AppHost (restarted when it exits)
#   scripts/run-local.sh stop         stop a PostgreSQL left running (data kept)
#   scripts/run-local.sh --clean      stop and delete the cluster and its data
#
# Tables: one line "schema.table=index" per table in $CDC_LOCAL_DIR/tables (created with the seed's three). They are
# passed as command-line settings (Cdc:Tables:public.items:Index=items), which need no environment variable with a dot.
# Ports: PG_PORT=54329 ES_PORT=9200; the services use 5080/5081 (sink) 5090/5091 (dlq) 5100/5101 (consistency) 5110/5111 (metrics).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PG_PORT=${PG_PORT:-54329}; ES_PORT=${ES_PORT:-9200}; SINK_PORT=${SINK_PORT:-5080}; GRPC_PORT=${GRPC_PORT:-5081}
dir=${CDC_LOCAL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/cdcaspire-local}
# As root the cluster runs as the postgres user (initdb refuses root), which cannot enter root's home (mode 700).
[ "$(id -u)" = 0 ] && [ -z "${CDC_LOCAL_DIR:-}" ] && dir=/var/lib/cdcaspire-local
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mode=apphost
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_running() { [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
stop_pg() { if pg_running; then as_pg "$bin/pg_ctl" stop -D "$dir/data" -m fast >/dev/null && echo "PostgreSQL stopped (data kept in $dir)."; fi; }

case "${1:-}" in
  stop) stop_pg; exit 0 ;;
  --clean) stop_pg; rm -rf "$dir"; echo "Deleted $dir."; exit 0 ;;
  --no-apphost) mode=sink ;;
  "") ;;
  *) echo "usage: $0 [--no-apphost | stop | --clean]" >&2; exit 2 ;;
esac

ports=("$ES_PORT" "$SINK_PORT" "$GRPC_PORT")
# The AppHost's other services and its dashboard (launch profile http: dashboard, OTLP, resource service).
[ "$mode" = apphost ] && ports+=(5090 5091 5100 5101 5110 5111 15080 19080 20080)
for port in "${ports[@]}"; do
  if port_busy "$port"; then
    echo "Port $port is already in use (another run-local.sh, or another program). Stop it, or choose other ports:" >&2
    echo "  PG_PORT=54339 ES_PORT=9201 $0    (the AppHost's service ports are fixed: run one copy at a time)" >&2
    exit 1
  fi
done

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$dir"
  if ! runuser -u postgres -- test -w "$dir"; then
    echo "The postgres user cannot write $dir (a parent directory is closed to it). Use CDC_LOCAL_DIR=/var/lib/cdcaspire-local $0" >&2
    exit 1
  fi
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  (umask 077; echo "$pw" > "$dir/pw")
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pw"
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
  # The password lives in this file only (mode 600): psql, this script and the services read it from here.
  (umask 077; echo "127.0.0.1:$PG_PORT:*:postgres:$pw" > "$dir/pgpass")
  printf 'public.users=users\npublic.products=products\npublic.orders=orders\n' > "$dir/tables"
  fresh=1
fi
export PGPASSFILE="$dir/pgpass"
pg_password=$(cut -d: -f5- "$PGPASSFILE")
pg_port=$(cut -d: -f2 "$PGPASSFILE")
if ! pg_running; then
  if port_busy "$pg_port"; then
    echo "Port $pg_port is in use, so PostgreSQL cannot start. Is another PostgreSQL (or another copy of this script) running? Stop it, or use $0 --clean and PG_PORT=..." >&2
    exit 1
  fi
  as_pg "$bin/pg_ctl" start -D "$dir/data" -w -l "$dir/server.log" >/dev/null || { echo "PostgreSQL did not start; its log: $dir/server.log" >&2; tail -n 5 "$dir/server.log" >&2; exit 1; }
fi
psql_cmd="PGPASSFILE=$dir/pgpass psql -h 127.0.0.1 -p $pg_port -U postgres appdb"
if [ "${fresh:-0}" = 1 ]; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -c "CREATE DATABASE appdb"
  cat AppHost/CdcAspire.AppHost/postgres-init/01-seed-schema.sql AppHost/CdcAspire.AppHost/postgres-init/02-seed-rows.sql \
    | psql -h 127.0.0.1 -p "$pg_port" -U postgres -d appdb -q
else
  # The test server keeps documents in memory and starts empty: reset the sink's slot and state so it snapshots again.
  PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -p "$pg_port" -U postgres -d appdb -q -X -o /dev/null -v ON_ERROR_STOP=1 <<'SQL'
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'cdcaspire' AND NOT active;
DROP SCHEMA IF EXISTS cdc CASCADE;
SQL
fi

projects=(tests/CdcAspire.Testing.Host services/CdcAspire.Cli)
[ "$mode" = apphost ] && projects+=(AppHost/CdcAspire.AppHost) || projects+=(services/CdcAspire.Sink)
for p in "${projects[@]}"; do
  dotnet build "$p" -v quiet -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
done

cleanup() {
  kill "${ready_pid:-}" "${es_pid:-}" "${app_pid:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT TERM
dotnet tests/CdcAspire.Testing.Host/bin/Debug/net10.0/CdcAspire.Testing.Host.dll --port "$ES_PORT" >"$dir/es.log" 2>&1 &
es_pid=$!

api_token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
(umask 077; echo "$api_token" > "$dir/api-token")
table_args=()
while IFS='=' read -r table index; do
  [ -n "$table" ] && [ "${table:0:1}" != "#" ] && table_args+=("$table" "$index")
done < "$dir/tables"

# Everything the CLI needs, for another shell: `source $dir/cdc.env`, then `cdc status`, `cdc health`, ...
# (the same variables Aspire gives a resource that references the services; mode 600: it holds the API token).
cli="$root/services/CdcAspire.Cli/bin/Debug/net10.0/cdc.dll"
(umask 077; {
  echo "cdc() { dotnet '$cli' \"\$@\"; }"
  echo "export CDC_API_TOKEN=$api_token"
  echo "export services__sink__grpc__0=http://127.0.0.1:$GRPC_PORT"
  if [ "$mode" = apphost ]; then
    echo "export services__dlq__grpc__0=http://127.0.0.1:5091 services__consistency__grpc__0=http://127.0.0.1:5101 services__metrics__grpc__0=http://127.0.0.1:5111"
  fi
} > "$dir/cdc.env")

echo "PostgreSQL (kept in $dir): $psql_cmd"
echo "Elasticsearch test server: curl 127.0.0.1:$ES_PORT/products/_search"
echo "CLI, in another shell: source $dir/cdc.env"
if [ "$mode" = apphost ]; then
  echo "     then: cdc status | cdc health | cdc metrics | cdc dlq stats | cdc check | cdc pause/resume"
  echo "     gRPC: sink http://127.0.0.1:$GRPC_PORT  dlq http://127.0.0.1:5091  consistency http://127.0.0.1:5101  metrics http://127.0.0.1:5111"
  echo "     HTTP (/health, /status): sink :$SINK_PORT  dlq :5090  consistency :5100  metrics :5110 (/metrics for Prometheus)"
else
  echo "     then: cdc status | cdc pause | cdc resume   (gRPC http://127.0.0.1:$GRPC_PORT, HTTP /health /status :$SINK_PORT)"
fi
echo "Tables: edit $dir/tables (schema.table=index), then restart this script."
echo "Stop: Ctrl+C (the database is kept; '$0 --clean' deletes it)."
appdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=appdb"
if [ "$mode" = apphost ]; then
  args=(CdcAspire:Servers=existing)
  for ((i = 0; i < ${#table_args[@]}; i += 2)); do args+=("CdcAspire:Tables:${table_args[i]}=${table_args[i+1]}"); done
  echo "Dashboard: the login URL follows (http://localhost:15080)."
  env ConnectionStrings__appdb="$appdb" ConnectionStrings__elasticsearch="http://127.0.0.1:$ES_PORT" \
    "Parameters__api-token=$api_token" ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    dotnet run --no-build --project AppHost/CdcAspire.AppHost --launch-profile http -- "${args[@]}" &
  app_pid=$!
  # The services start after the dashboard: say when all four answer, so the commands above work from then on.
  if command -v curl >/dev/null; then
    (for _ in $(seq 240); do
       healthy=0
       for port in 5080 5090 5100 5110; do [ "$(curl -s -m 2 "http://127.0.0.1:$port/health")" = Healthy ] && healthy=$((healthy + 1)); done
       # ...and the metrics service has seen the sink's (re-created) slot active, so `cdc health` agrees from the start.
       if [ "$healthy" = 4 ] && curl -s -m 2 "http://127.0.0.1:5110/metrics" | grep -Eq '^cdc_slot_active\{[^}]*slot="cdcaspire"[^}]*\} 1'; then
         echo "Ready: sink, dlq, consistency and metrics are healthy, the slot is streaming. Try: source $dir/cdc.env; cdc health"; exit 0
       fi
       sleep 1
     done
     echo "After 4 minutes not every service is healthy or the slot is not streaming: see their logs in the dashboard (http://localhost:15080).") &
    ready_pid=$!
  fi
  wait "$app_pid"
else
  args=()
  for ((i = 0; i < ${#table_args[@]}; i += 2)); do args+=("--Cdc:Tables:${table_args[i]}:Index=${table_args[i+1]}"); done
  export ConnectionStrings__appdb="$appdb" ConnectionStrings__elasticsearch="http://127.0.0.1:$ES_PORT"
  export ASPNETCORE_URLS="http://127.0.0.1:$SINK_PORT" Cdc__Grpc__Port=$GRPC_PORT Cdc__Api__Token=$api_token
  export Cdc__IndexTemplatesPath="$root/index-templates"
  # A sink that exits (crash, kill -9) is started again: it resumes from its slot, nothing is lost or duplicated.
  while true; do
    (cd services/CdcAspire.Sink/bin/Debug/net10.0 && exec dotnet CdcAspire.Sink.dll "${args[@]}") &
    app_pid=$!
    set +e; wait "$app_pid"; code=$?; set -e
    echo "The sink exited with code $code; starting it again in 2 s (Ctrl+C to stop)."
    sleep 2
  done
fi
