using CdcAspire.Consistency.Options;
using CdcAspire.Consistency.Rows;
using CdcAspire.Consistency.V1;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using Google.Protobuf;
using Npgsql;

namespace CdcAspire.Consistency.Results;

/// <summary>
/// Kept check results: <c>{Cdc:StateSchema}.consistency_results</c> (next to the sink's state, never published),
/// one row per table check holding the <see cref="TableResult"/> message, the last <c>Consistency:KeepResults</c>
/// per table.
/// </summary>
public sealed class ResultStore(PostgresConnections connections, CdcOptions cdc, ConsistencyOptions options)
{
    private Task? _created;

    private string Table => KeyColumnOrder.Quote(cdc.StateSchema) + ".consistency_results";

    public async Task SaveAsync(TableResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await EnsureTableAsync(cancellationToken);
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"INSERT INTO {Table} (id, table_name, started_at, result) VALUES ($1, $2, $3, $4)")
                {
                    Parameters =
                    {
                        new() { Value = result.Id }, new() { Value = result.Table },
                        new() { Value = result.StartedAt.ToDateTimeOffset() }, new() { Value = result.ToByteArray() },
                    },
                },
                new NpgsqlBatchCommand(
                    $"DELETE FROM {Table} WHERE table_name = $1 AND id NOT IN (SELECT id FROM {Table} WHERE table_name = $1 ORDER BY started_at DESC, id DESC LIMIT $2)")
                {
                    Parameters = { new() { Value = result.Table }, new() { Value = options.KeepResults } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Kept results, newest first per table; <paramref name="table"/> empty = every table.</summary>
    public async Task<List<TableResult>> ListAsync(string table, int limit, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT result FROM (
                SELECT result, table_name, started_at, id, row_number() OVER (PARTITION BY table_name ORDER BY started_at DESC, id DESC) n
                FROM {Table} WHERE $1 = '' OR table_name = $1) r
            WHERE n <= $2 ORDER BY table_name, started_at DESC, id DESC
            """, connection);
        cmd.Parameters.Add(new() { Value = table });
        cmd.Parameters.Add(new() { Value = limit <= 0 ? int.MaxValue : limit });
        var results = new List<TableResult>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(TableResult.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)));
        }

        return results;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        // Created once per process; a failed attempt is forgotten so the next call tries again.
        var creating = _created ??= CreateTableAsync();
        try
        {
            await creating.WaitAsync(cancellationToken);
        }
        catch (Exception) when (creating.IsFaulted)
        {
            _ = Interlocked.CompareExchange(ref _created, null, creating);
            throw;
        }
    }

    private async Task CreateTableAsync()
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {KeyColumnOrder.Quote(cdc.StateSchema)};
            CREATE TABLE IF NOT EXISTS {Table} (
                id text PRIMARY KEY,
                table_name text NOT NULL,
                started_at timestamptz NOT NULL,
                result bytea NOT NULL);
            CREATE INDEX IF NOT EXISTS consistency_results_table ON {Table} (table_name, started_at DESC);
            """, connection);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
