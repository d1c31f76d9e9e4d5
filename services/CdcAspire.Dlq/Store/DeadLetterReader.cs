using System.Text.Json;
using CdcAspire.Pipeline.DeadLetters;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Dlq.Store;

/// <summary>Read-only queries over <c>&lt;schema&gt;.dead_letters</c>.</summary>
public sealed class DeadLetterReader(PostgresConnections connections, CdcOptions options)
{
    internal const string SummaryColumns =
        "id, created_at, source, table_name, index_name, document_id, operation, position, version, error_type, error_reason, status, attempts, next_retry_at";

    internal string Table { get; } = "\"" + options.StateSchema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\".dead_letters";

    /// <summary>One page, newest first; <paramref name="beforeId"/> continues after the previous page's last id.</summary>
    public async Task<(IReadOnlyList<DeadLetterRecord> Page, long Total)> ListAsync(
        DeadLetterFilter filter, int pageSize, long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand { Connection = connection };
        count.CommandText = $"SELECT count(*) FROM {Table} WHERE {FilterSql.Where(filter, count.Parameters)}";
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        await using var page = new NpgsqlCommand { Connection = connection };
        var where = FilterSql.Where(filter, page.Parameters);
        if (beforeId is { } before)
        {
            page.Parameters.Add(new NpgsqlParameter { Value = before });
            where += $" AND id < ${page.Parameters.Count}";
        }

        page.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        page.CommandText = $"SELECT {SummaryColumns} FROM {Table} WHERE {where} ORDER BY id DESC LIMIT ${page.Parameters.Count}";
        var list = new List<DeadLetterRecord>();
        await using var reader = await page.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadSummary(reader));
        }

        return (list, total);
    }

    /// <summary>The ids a changing call selects, oldest first.</summary>
    public async Task<IReadOnlyList<long>> SelectIdsAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand { Connection = connection };
        cmd.CommandText = $"SELECT id FROM {Table} WHERE {FilterSql.Where(filter, cmd.Parameters)} ORDER BY id";
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>One letter with its document, raw bytes and history; null when there is none.</summary>
    public async Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(
            $"SELECT {SummaryColumns}, document, raw, history::text FROM {Table} WHERE id = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return ReadSummary(reader) with
        {
            Document = reader.IsDBNull(14) ? null : reader.GetString(14),
            Raw = reader.IsDBNull(15) ? null : reader.GetFieldValue<byte[]>(15),
            History = ParseHistory(reader.GetString(16)),
        };
    }

    public async Task<DeadLetterStats> StatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT status, count(*) FROM {Table} GROUP BY status"),
                new NpgsqlBatchCommand($"""
                    SELECT coalesce(table_name, ''), error_type, count(*), min(created_at), min(error_reason)
                    FROM {Table} WHERE status = 'pending' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
                    """),
                new NpgsqlBatchCommand("SELECT now()"),
            },
        };
        var byState = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["pending"] = 0, ["resolved"] = 0, ["discarded"] = 0, ["archived"] = 0,
        };
        var groups = new List<DeadLetterGroup>();
        DateTimeOffset now;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                byState[reader.GetString(0)] = reader.GetInt64(1);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                groups.Add(new DeadLetterGroup(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            now = reader.GetFieldValue<DateTimeOffset>(0);
        }

        DateTimeOffset? oldest = groups.Count == 0 ? null : groups.Min(g => g.Oldest);
        return new DeadLetterStats(byState, groups, oldest, now);
    }

    internal static DeadLetterRecord ReadSummary(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetInt64(8),
        reader.GetString(9),
        reader.GetString(10),
        DeadLetterNames.ParseState(reader.GetString(11)),
        reader.GetInt32(12),
        reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13));

    private static List<HistoryEntry> ParseHistory(string json)
    {
        using var document = JsonDocument.Parse(json);
        var entries = new List<HistoryEntry>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            entries.Add(new HistoryEntry(
                e.TryGetProperty("at", out var at) ? at.GetDateTimeOffset() : DateTimeOffset.UnixEpoch,
                e.TryGetProperty("action", out var action) ? action.GetString() ?? string.Empty : string.Empty,
                e.TryGetProperty("outcome", out var outcome) ? outcome.GetString() ?? string.Empty : string.Empty,
                e.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty));
        }

        return entries;
    }
}
