#!/usr/bin/env bash
# Runs once, when the data volume is empty (docker-entrypoint-initdb.d), in $POSTGRES_DB. Creates the role Debezium
# connects as, with the password from the AppHost's `replication-password` parameter (environment only, passed to
# psql as a variable so it is quoted by psql and never appears in this file), the heartbeat table its
# heartbeat.action.query writes, and the filtered publication (creating one FOR TABLE needs table ownership, which
# the replication role does not have). See connectors/README.md.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v replication_password="$CDC_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE cdc_replication WITH LOGIN REPLICATION PASSWORD :'replication_password';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO cdc_replication;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO cdc_replication;
CREATE SCHEMA IF NOT EXISTS cdc;
GRANT USAGE ON SCHEMA cdc TO cdc_replication;
CREATE TABLE IF NOT EXISTS cdc.heartbeat (id int PRIMARY KEY, beat_at timestamptz NOT NULL);
GRANT INSERT, UPDATE, SELECT ON cdc.heartbeat TO cdc_replication;
CREATE PUBLICATION cdc_debezium FOR TABLE public.users, public.products, public.orders, cdc.heartbeat;
SQL
