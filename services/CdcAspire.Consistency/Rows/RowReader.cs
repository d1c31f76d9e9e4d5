using System.Runtime.CompilerServices;
using System.Text;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Consistency.Rows;

/// <summary>
/// Reads a table's rows as documents: in key order with keyset pages inside one REPEATABLE READ transaction (one
/// snapshot for the whole table, memory of a few pages), by id, or as a random sample.
/// </summary>
public sealed class RowReader(PostgresConnections connections)
{
    /// <summary>Every row in key order, all from one snapshot, a page of documents at a time (dispose each once done with it).</summary>
    /// <remarks>
    /// Reading and encoding overlap: the next keyset page is asked for as soon as this one's bytes have arrived (its
    /// last key is all the keyset needs), while another task encodes this one. Memory: two raw pages ahead of the
    /// encoder. (Reading and encoding on one task was measured: the check ran at ~170k instead of ~220k rows/s.)
    /// </remarks>
    public async IAsyncEnumerable<RowPage> ReadPagesAsync(CheckedTable table, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var raw in Checking.Prefetch.Ahead(ReadRawPagesAsync(table, pageSize, cancellationToken), 2, cancellationToken))
        {
            using (raw)
            {
                yield return RowEncoder.EncodePage(raw, table);
            }
        }
    }

    /// <summary>Every row's bytes in key order, a keyset page at a time, inside one REPEATABLE READ transaction.</summary>
    private async IAsyncEnumerable<RawRowPage> ReadRawPagesAsync(CheckedTable table, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var order = string.Join(", ", table.KeyOrder.Select(k => k.SqlExpression));
        string[]? after = null;
        while (true)
        {
            var sql = new StringBuilder(Select(table));
            await using var cmd = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            if (after is not null)
            {
                sql.Append(" WHERE (").Append(order).Append(") > (")
                   .AppendJoin(", ", table.KeyOrder.Select((k, i) => k.SqlParameter(i + 1))).Append(')');
                foreach (var value in after)
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
                }
            }

            sql.Append(" ORDER BY ").Append(order).Append(" LIMIT ").Append(pageSize);
            cmd.CommandText = sql.ToString();
            cmd.AllResultTypesAreUnknown = true;
            var page = await ReadRawAsync(cmd, table, pageSize, cancellationToken);
            var count = page.Rows;
            after = count > 0 ? RowEncoder.KeyOf(page, count - 1, table) : null;
            if (count > 0)
            {
                yield return page;
            }
            else
            {
                page.Dispose();
            }

            if (count < pageSize)
            {
                break;
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The command's rows (the table's columns, then <c>xmin</c>) as a raw page.</summary>
    private static async Task<RawRowPage> ReadRawAsync(NpgsqlCommand cmd, CheckedTable table, int expected, CancellationToken cancellationToken)
    {
        var page = new RawRowPage(table.Source.Columns.Count + 1, expected);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(reader);
            }

            return page;
        }
        catch
        {
            page.Dispose();
            throw;
        }
    }

    /// <summary>The command's rows as documents with arrays of their own.</summary>
    private static async Task<List<RowDocument>> ReadDocumentsAsync(NpgsqlCommand cmd, CheckedTable table, int expected, CancellationToken cancellationToken)
    {
        using var raw = await ReadRawAsync(cmd, table, expected, cancellationToken);
        using var page = RowEncoder.EncodePage(raw, table);
        return [.. page.Items.Select(row => row with { Document = row.Document.ToArray() })];
    }

    /// <summary>The rows with these keys, by document id, read in one statement (one snapshot).</summary>
    public async Task<Dictionary<string, RowDocument>> ReadByKeysAsync(CheckedTable table, IReadOnlyList<string[]> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RowDocument>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        var source = table.Source;
        var sql = new StringBuilder(Select(table, "t."));
        sql.Append(" t JOIN unnest(").AppendJoin(", ", source.KeyColumns.Select((_, i) => $"${i + 1}::text[]"));
        sql.Append(") k(").AppendJoin(", ", source.KeyColumns.Select((_, i) => $"c{i}")).Append(") ON (");
        sql.AppendJoin(", ", source.KeyColumns.Select(c => "t." + KeyColumnOrder.Quote(c.Name))).Append(") = (");
        sql.AppendJoin(", ", source.KeyColumns.Select((c, i) => $"k.c{i}::{c.SqlType}")).Append(')');
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql.ToString(), connection) { AllResultTypesAreUnknown = true };
        for (var k = 0; k < source.KeyColumns.Count; k++)
        {
            var column = k;
            cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(key => key[column]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        try
        {
            foreach (var row in await ReadDocumentsAsync(cmd, table, keys.Count, cancellationToken))
            {
                found[row.Id] = row;
            }
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal) && keys.Count > 1)
        {
            // A document id that is no key of this table (an extra such as "abc" in an integer-keyed index) spoils
            // the whole statement: read one by one; such ids simply have no row.
            foreach (var key in keys)
            {
                try
                {
                    foreach (var (id, row) in await ReadByKeysAsync(table, [key], cancellationToken))
                    {
                        found[id] = row;
                    }
                }
                catch (PostgresException one) when (one.SqlState.StartsWith("22", StringComparison.Ordinal))
                {
                    // No row can have this key.
                }
            }
        }

        return found;
    }

    /// <summary>About <paramref name="size"/> random rows (Bernoulli sampling), at most that many.</summary>
    public async Task<List<RowDocument>> SampleAsync(CheckedTable table, int size, CancellationToken cancellationToken)
    {
        var estimate = Math.Max(1, await EstimateAsync(table, cancellationToken));
        var percent = Math.Clamp(100.0 * size * 1.5 / estimate, 0.0001, 100.0);
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(
            Select(table).Replace(" FROM " + Table(table), " FROM " + Table(table) + $" TABLESAMPLE BERNOULLI ({percent.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})", StringComparison.Ordinal)
            + $" LIMIT {size}", connection) { AllResultTypesAreUnknown = true };
        return await ReadDocumentsAsync(cmd, table, size, cancellationToken);
    }

    /// <summary>The planner's estimate of the table's rows (reltuples; -1 before the first ANALYZE counts as 0).</summary>
    public async Task<long> EstimateAsync(CheckedTable table, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = $1::regclass", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Table(table), NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteScalarAsync(cancellationToken) is long n ? n : 0;
    }

    /// <summary>The exact row count.</summary>
    public async Task<long> CountAsync(CheckedTable table, CancellationToken cancellationToken)
    {
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {Table(table)}", connection);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Table(CheckedTable table) => KeyColumnOrder.Quote(table.Id.Schema) + "." + KeyColumnOrder.Quote(table.Id.Name);

    private static string Select(CheckedTable table, string prefix = "") =>
        "SELECT " + string.Join(", ", table.Source.Columns.Select(c => prefix + KeyColumnOrder.Quote(c.Name))) + $", {prefix}xmin FROM " + Table(table);
}
