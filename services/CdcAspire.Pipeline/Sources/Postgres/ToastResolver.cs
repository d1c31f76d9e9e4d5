using System.Text;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Pipeline.Sources.Postgres;

/// <summary>
/// Fills columns pgoutput marked "unchanged TOAST" (sent without a value because the update did not touch them).
/// First from the old row when REPLICA IDENTITY FULL sent one; otherwise by reading the row's current value. A
/// current value may be newer than this change, never older: a later change of that column is further on in the
/// stream and will be applied with a higher version, so the document still converges, and it never holds a
/// placeholder or a null in the value's place. If the row is gone, a delete follows in the stream; the update is
/// then dropped (returns null) because the delete will supersede it anyway.
/// </summary>
internal sealed class ToastResolver(NpgsqlDataSource dataSource)
{
    public async Task<ColumnValue[]?> ResolveAsync(RelationInfo relation, ColumnValue[] row, ColumnValue[]? oldRow, IReadOnlyList<string> key, CancellationToken cancellationToken)
    {
        var missing = new List<int>();
        for (var i = 0; i < row.Length; i++)
        {
            if (!row[i].Unchanged)
            {
                continue;
            }

            if (oldRow is not null && i < oldRow.Length && !oldRow[i].Unchanged)
            {
                row[i] = oldRow[i];
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count == 0)
        {
            return row;
        }

        var keyColumns = relation.KeyIndexes;
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", missing.Select(i => Sql.Quote(relation.Names[i])));
        sql.Append(" FROM ").Append(Sql.Quote(relation.Table)).Append(" WHERE ");
        // Compare with each key column's type (format_type from the catalog, quoted as needed); without a catalog entry
        // compare the text forms, which is exact for the output-function text pgoutput sent.
        var sqlTypes = relation.Catalog?.Columns.ToDictionary(c => c.Name, c => c.SqlType, StringComparer.Ordinal);
        sql.AppendJoin(" AND ", keyColumns.Select((k, n) =>
            sqlTypes is not null && sqlTypes.TryGetValue(relation.Names[k], out var t)
                ? $"{Sql.Quote(relation.Names[k])} = ${n + 1}::{t}"
                : $"{Sql.Quote(relation.Names[k])}::text = ${n + 1}"));
        await using var cmd = dataSource.CreateCommand(sql.ToString());
        foreach (var value in key)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        cmd.AllResultTypesAreUnknown = true; // the output functions' text, as pgoutput sends it
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        for (var m = 0; m < missing.Count; m++)
        {
            var i = missing[m];
            row[i] = PgJsonEncoder.ToColumnValue(relation.Names[i], relation.Types[i], reader.IsDBNull(m) ? null : reader.GetString(m));
        }

        return row;
    }
}
