using System.Runtime.CompilerServices;
using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CdcAspire.Pipeline.State;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Reads tables in key order, a chunk at a time (keyset pagination, so memory stays at one chunk however large the
/// table), inside one REPEATABLE READ transaction. With the slot's exported snapshot the rows are exactly the state
/// at the slot's consistent point; without it (a resumed or added table) they are a later state, which is harmless:
/// every row carries the version of the slot's restart position, lower than any change the stream will replay, and
/// the stream replays every change after that position, so each document ends at its latest state.
/// </summary>
internal sealed class SnapshotReader(NpgsqlDataSource dataSource, int chunkSize)
{
    public async IAsyncEnumerable<SourceItem> ReadAsync(
        IReadOnlyList<(SourceTable Table, SnapshotProgress Progress)> tables,
        string? exportedSnapshot,
        Position version,
        Action<SourceTable>? onTableStart,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        if (exportedSnapshot is not null)
        {
            // SET TRANSACTION SNAPSHOT takes a literal, not a parameter; the name comes from the server.
            await using var set = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{exportedSnapshot.Replace("'", "''", StringComparison.Ordinal)}'", connection, transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (table, start) in tables)
        {
            onTableStart?.Invoke(table);
            var lastKey = start.LastKey;
            var rows = start.RowsDone;
            while (true)
            {
                var chunk = await ReadChunkAsync(connection, transaction, table, lastKey, version, cancellationToken);
                foreach (var change in chunk)
                {
                    yield return change;
                }

                rows += chunk.Count;
                var done = chunk.Count < chunkSize;
                if (chunk.Count > 0)
                {
                    lastKey = [.. chunk[^1].Key];
                }

                yield return new SnapshotCheckpoint(new SnapshotProgress(table.Id, lastKey, rows, done));
                if (done)
                {
                    break;
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<List<ChangeEvent>> ReadChunkAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SourceTable table, string[]? after, Position version, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", table.Columns.Select(c => Sql.Quote(c.Name)));
        sql.Append(" FROM ").Append(Sql.Quote(table.Id));
        var keyList = string.Join(", ", table.KeyColumns.Select(c => Sql.Quote(c.Name)));
        await using var cmd = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        if (after is not null)
        {
            // Cast the text of the last key back to each key column's type, so the comparison uses the type's order.
            var parameters = table.KeyColumns.Select((c, i) => $"${i + 1}::{c.SqlType}");
            sql.Append(" WHERE (").Append(keyList).Append(") > (").AppendJoin(", ", parameters).Append(')');
            foreach (var value in after)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
            }
        }

        sql.Append(" ORDER BY ").Append(keyList).Append(" LIMIT ").Append(chunkSize);
        cmd.CommandText = sql.ToString();

        // Text result format: every value as its type's output function prints it, the same text pgoutput sends.
        // (A ::text cast is not the same: bool casts to 'true', inet keeps its /32.)
        cmd.AllResultTypesAreUnknown = true;

        var keyIndexes = table.KeyColumns.Select(k => table.Columns.ToList().IndexOf(k)).ToArray();
        var result = new List<ChangeEvent>(chunkSize);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new ColumnValue[table.Columns.Count];
            var texts = new string?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var text = reader.IsDBNull(i) ? null : reader.GetString(i);
                texts[i] = text;
                row[i] = PgJsonEncoder.ToColumnValue(table.Columns[i].Name, table.Columns[i].Type, text);
            }

            var key = keyIndexes.Select(i => texts[i] ?? string.Empty).ToArray();
            result.Add(new ChangeEvent(table.Id, ChangeKind.Snapshot, version, key, row));
        }

        return result;
    }
}
