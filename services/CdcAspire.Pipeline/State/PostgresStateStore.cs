using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.State;

/// <summary>
/// The pipeline's own tables in the state schema (default <c>cdc</c>), which is never in the publication:
/// <c>dead_letters</c> (owned by the DLQ service later; the sink only appends) and <c>snapshot_progress</c>
/// (the last key acknowledged per table, so an interrupted snapshot resumes instead of losing or redoing rows).
/// </summary>
public sealed class PostgresStateStore(NpgsqlDataSource dataSource, string schema)
{
    public string Schema { get; } = schema;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var s = Sql.Quote(Schema);
        await using var cmd = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.snapshot_progress (
                slot_name     text NOT NULL,
                table_name    text NOT NULL,
                last_key      text[],
                rows_done     bigint NOT NULL DEFAULT 0,
                done          boolean NOT NULL DEFAULT false,
                updated_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (slot_name, table_name)
            );
            """);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Two sinks creating the schema at once: the other one won, which is what we wanted.
        }

        // dead_letters, its DLQ columns and the new-letter notification (migrated in place on older tables).
        await DeadLetters.DeadLetterSchema.MigrateAsync(dataSource, Schema, cancellationToken);
    }

    /// <summary>Forgets snapshot progress of some tables, for every slot (they join the publication anew).</summary>
    public async Task ResetSnapshotAsync(IReadOnlyCollection<TableId> tables, CancellationToken cancellationToken)
    {
        if (tables.Count == 0)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand($"DELETE FROM {Sql.Quote(Schema)}.snapshot_progress WHERE table_name = ANY($1)");
        cmd.Parameters.Add(new() { Value = tables.Select(t => t.ToString()).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets snapshot progress of a slot (a new slot means a new snapshot).</summary>
    public async Task ResetSnapshotAsync(string slot, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"DELETE FROM {Sql.Quote(Schema)}.snapshot_progress WHERE slot_name = $1");
        cmd.Parameters.Add(new() { Value = slot });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<TableId, SnapshotProgress>> ReadSnapshotAsync(string slot, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT table_name, last_key, rows_done, done FROM {Sql.Quote(Schema)}.snapshot_progress WHERE slot_name = $1");
        cmd.Parameters.Add(new() { Value = slot });
        var result = new Dictionary<TableId, SnapshotProgress>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = TableId.Parse(reader.GetString(0));
            result[table] = new SnapshotProgress(
                table, reader.IsDBNull(1) ? null : reader.GetFieldValue<string[]>(1), reader.GetInt64(2), reader.GetBoolean(3));
        }

        return result;
    }

    public async Task SaveSnapshotAsync(string slot, SnapshotProgress progress, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO {Sql.Quote(Schema)}.snapshot_progress (slot_name, table_name, last_key, rows_done, done, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (slot_name, table_name) DO UPDATE
            SET last_key = EXCLUDED.last_key, rows_done = EXCLUDED.rows_done, done = EXCLUDED.done, updated_at = now()
            """);
        cmd.Parameters.Add(new() { Value = slot });
        cmd.Parameters.Add(new() { Value = progress.Table.ToString() });
        cmd.Parameters.Add(new() { Value = (object?)progress.LastKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = progress.RowsDone });
        cmd.Parameters.Add(new() { Value = progress.Done });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
