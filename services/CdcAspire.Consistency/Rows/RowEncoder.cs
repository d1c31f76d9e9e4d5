using System.Buffers;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
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
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Reads the current reader row (the table's columns, then <c>xmin</c>).</summary>
    public RowDocument Read(NpgsqlDataReader reader, CheckedTable table) => Encode(ReadText(reader), table);

    /// <summary>The current reader row's values as PostgreSQL printed them (null for SQL NULL): the columns, then <c>xmin</c>.</summary>
    public static string?[] ReadText(NpgsqlDataReader reader)
    {
        var values = new string?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
        }

        return values;
    }

    /// <summary>Encodes a row read by <see cref="ReadText"/>.</summary>
    public RowDocument Encode(string?[] values, CheckedTable table)
    {
        var columns = table.Source.Columns;
        var row = EncodeValues(values, columns);
        var key = KeyOf(values, table);
        var xmin = uint.Parse(values[columns.Count]!, System.Globalization.CultureInfo.InvariantCulture);
        var mapped = mapper.Map(new ChangeEvent(table.Id, ChangeKind.Snapshot, Position.Zero, key, row));
        // A row the mapping refuses has no document the sink could write: it compares as an empty document.
        return mapped.Actions.Count > 0
            ? new RowDocument(mapped.Actions[^1].Id, key, mapped.Actions[^1].Document, xmin)
            : new RowDocument(DocumentId.From(key), key, ReadOnlyMemory<byte>.Empty, xmin);
    }

    /// <summary>
    /// The row's values as JSON with the pipeline's own encoder, written one after the other into one array per row
    /// (one allocation instead of one per value: a profile of a full check put the allocator near the top).
    /// </summary>
    private static ColumnValue[] EncodeValues(string?[] values, IReadOnlyList<SourceColumn> columns)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, PgJsonEncoder.WriterOptions);
        buffer.ResetWrittenCount();
        Span<int> ends = columns.Count <= 64 ? stackalloc int[columns.Count] : new int[columns.Count];
        try
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (values[i] is { } text)
                {
                    writer.Reset(buffer);
                    PgJsonEncoder.Write(writer, columns[i].Type, text.AsSpan());
                    writer.Flush();
                }

                ends[i] = buffer.WrittenCount;
            }

            var json = buffer.WrittenSpan.ToArray().AsMemory();
            var row = new ColumnValue[columns.Count];
            var start = 0;
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = values[i] is null ? ColumnValue.Null(columns[i].Name) : new ColumnValue(columns[i].Name, json[start..ends[i]]);
                start = ends[i];
            }

            return row;
        }
        finally
        {
            writer.Reset(buffer);
            if (buffer.Capacity > 1 << 20)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>The key column values of a row read by <see cref="ReadText"/>, in key order.</summary>
    public static string[] KeyOf(string?[] values, CheckedTable table)
    {
        var key = new string[table.KeyIndexes.Length];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = values[table.KeyIndexes[k]] ?? string.Empty;
        }

        return key;
    }
}
