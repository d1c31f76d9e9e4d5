using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using Npgsql;

namespace CdcAspire.Consistency.Rows;

/// <summary>
/// Turns a row read in text format into the document the sink writes: the pipeline's own value encoder
/// (<see cref="PgJsonEncoder"/>) and mapper (<see cref="DocumentMapper"/>), so a difference is never an artefact of
/// a second encoding.
/// </summary>
public sealed class RowEncoder(DocumentMapper mapper)
{
    /// <summary>Reads the current reader row (the table's columns, then <c>xmin</c>).</summary>
    public RowDocument Read(NpgsqlDataReader reader, CheckedTable table)
    {
        var columns = table.Source.Columns;
        var row = new ColumnValue[columns.Count];
        var key = new string[table.KeyIndexes.Length];
        for (var i = 0; i < row.Length; i++)
        {
            var text = reader.IsDBNull(i) ? null : reader.GetString(i);
            row[i] = PgJsonEncoder.ToColumnValue(columns[i].Name, columns[i].Type, text);
            var k = Array.IndexOf(table.KeyIndexes, i);
            if (k >= 0)
            {
                key[k] = text ?? string.Empty;
            }
        }

        var xmin = uint.Parse(reader.GetString(columns.Count), System.Globalization.CultureInfo.InvariantCulture);
        var mapped = mapper.Map(new ChangeEvent(table.Id, ChangeKind.Snapshot, Position.Zero, key, row));
        // A row the mapping refuses has no document the sink could write: it compares as an empty document.
        var document = mapped.Actions.Count > 0 ? mapped.Actions[^1].Document : ReadOnlyMemory<byte>.Empty;
        return new RowDocument(DocumentId.From(key), key, document, xmin);
    }
}
