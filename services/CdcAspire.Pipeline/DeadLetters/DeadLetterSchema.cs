using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Pipeline.DeadLetters;

/// <summary>
/// <c>&lt;schema&gt;.dead_letters</c>: created if missing and migrated in place (idempotent, so the sink and the DLQ
/// service may both run it, in any order and at once). Columns beyond the sink's append: <c>status</c>
/// (<see cref="DeadLetterState"/>), <c>attempts</c> (failed replays), <c>history</c> (a JSON array of
/// <c>{at, action, outcome, detail}</c>), <c>next_retry_at</c> (the automatic retry), <c>claimed_by</c>/<c>claimed_until</c>
/// (a replay in progress), <c>updated_at</c>. A statement trigger notifies <see cref="NotifyChannel"/> on every insert
/// so the DLQ service sees new letters at once instead of polling.
/// </summary>
public static class DeadLetterSchema
{
    /// <summary>The LISTEN/NOTIFY channel; the payload is the schema name.</summary>
    public const string NotifyChannel = "cdc_dead_letters";

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var s = Sql.Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Concurrent DDL on the same objects fails with "tuple concurrently updated": one migration at a time.
        await using var cmd = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(hashtext('cdcaspire.dead_letters.schema'));
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.dead_letters (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                created_at    timestamptz NOT NULL DEFAULT now(),
                source        text NOT NULL,
                table_name    text,
                index_name    text,
                document_id   text,
                operation     text NOT NULL,
                position      text NOT NULL,
                version       bigint,
                document      text,
                raw           bytea,
                error_type    text NOT NULL,
                error_reason  text NOT NULL,
                status        text NOT NULL DEFAULT 'pending',
                attempts      integer NOT NULL DEFAULT 0,
                resolved_at   timestamptz
            );
            ALTER TABLE {s}.dead_letters
                ADD COLUMN IF NOT EXISTS history       jsonb NOT NULL DEFAULT '[]',
                ADD COLUMN IF NOT EXISTS next_retry_at timestamptz,
                ADD COLUMN IF NOT EXISTS claimed_by    text,
                ADD COLUMN IF NOT EXISTS claimed_until timestamptz,
                ADD COLUMN IF NOT EXISTS updated_at    timestamptz;
            CREATE INDEX IF NOT EXISTS dead_letters_pending ON {s}.dead_letters (table_name, id) WHERE status = 'pending';
            CREATE INDEX IF NOT EXISTS dead_letters_retry ON {s}.dead_letters (next_retry_at) WHERE status = 'pending' AND next_retry_at IS NOT NULL;
            CREATE OR REPLACE FUNCTION {s}.dead_letters_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM pg_notify('{NotifyChannel}', TG_TABLE_SCHEMA);
                RETURN NULL;
            END
            $fn$;
            CREATE OR REPLACE TRIGGER dead_letters_notify AFTER INSERT ON {s}.dead_letters
                FOR EACH STATEMENT EXECUTE FUNCTION {s}.dead_letters_notify();
            """, connection, transaction);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
