using System.Runtime.CompilerServices;
using System.Text;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
using Npgsql;

namespace CdcAspire.Consistency.Resync;

/// <summary>
/// A table's document ids in key order, one keyset page per query (each its own short snapshot: the rows themselves
/// are re-read by <c>CurrentStateWriter</c> after its fence, so the pages need no common snapshot; a row inserted
/// behind the cursor is written by the sink's dual write, having committed after the resync's start).
/// </summary>
public sealed class KeyPages(PostgresConnections connections)
{
    public async IAsyncEnumerable<List<string>> ReadAsync(SourceTable table, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = table.KeyColumns;
        // Qualified with the table alias and selected under other names: an ORDER BY on a bare name would pick the
        // text output column of the same name and order as text, while the keyset condition compares typed values.
        var columns = string.Join(", ", keys.Select(c => "t." + Quote(c.Name)));
        var select = new StringBuilder("SELECT ").AppendJoin(", ", keys.Select((c, i) => $"t.{Quote(c.Name)}::text AS k{i}"))
            .Append(" FROM ").Append(Quote(table.Id.Schema)).Append('.').Append(Quote(table.Id.Name)).Append(" t");
        var first = $"{select} ORDER BY {columns} LIMIT {pageSize}";
        var next = $"{select} WHERE ({columns}) > ({string.Join(", ", keys.Select((c, i) => $"${i + 1}::{c.SqlType}"))}) ORDER BY {columns} LIMIT {pageSize}";
        string[]? last = null;
        while (true)
        {
            var page = new List<string>(pageSize);
            await using (var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken))
            await using (var cmd = new NpgsqlCommand(last is null ? first : next, connection))
            {
                foreach (var value in last ?? [])
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                }

                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    last = new string[keys.Count];
                    for (var i = 0; i < keys.Count; i++)
                    {
                        last[i] = reader.GetString(i);
                    }

                    page.Add(DocumentId.From(last));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            yield return page;
            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>Exact row count (for progress).</summary>
    public async Task<long> CountAsync(SourceTable table, CancellationToken cancellationToken)
    {
        await using var cmd = connections.DataSource.CreateCommand($"SELECT count(*) FROM {Quote(table.Id.Schema)}.{Quote(table.Id.Name)}");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
