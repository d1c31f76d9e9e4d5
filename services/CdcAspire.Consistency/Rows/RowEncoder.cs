using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Mapping;
using CdcAspire.Pipeline.Sources.Postgres;
using CdcAspire.Pipeline.Sources.Postgres.Types;
using CommunityToolkit.HighPerformance.Buffers;

namespace CdcAspire.Consistency.Rows;

/// <summary>
/// Turns rows read in text format into the documents the sink writes: the pipeline's own value encoder
/// (<see cref="PgJsonEncoder"/>) and document writer (<see cref="DocumentWriter"/>, the one
/// <see cref="DocumentMapper"/> uses), so a difference is never an artefact of a second encoding.
/// </summary>
/// <remarks>
/// Values go from the page's bytes straight into the document, a page of documents into one rented buffer: no string
/// per value, no change event, no array per value or document (a full check allocated ~1.7 KB per row that way, most
/// of its GC work). Only the key columns become strings (the merge orders by them, the id is made of them).
/// </remarks>
public static class RowEncoder
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>The page's rows as documents in one rented buffer (the returned page owns it).</summary>
    public static RowPage EncodePage(RawRowPage raw, CheckedTable table)
    {
        var buffer = new ArrayPoolBufferWriter<byte>(Math.Max(1024, raw.Rows * 256));
        try
        {
            var heads = new (string Id, string[] Key, uint Xmin, int End)[raw.Rows];
            for (var row = 0; row < raw.Rows; row++)
            {
                var (id, key, xmin) = Write(buffer, raw, row, table);
                heads[row] = (id, key, xmin, buffer.WrittenCount);
            }

            // Slices only now: the buffer moves while it grows.
            var written = buffer.WrittenMemory;
            var documents = new List<RowDocument>(raw.Rows);
            var start = 0;
            foreach (var (id, key, xmin, end) in heads)
            {
                documents.Add(new RowDocument(id, key, written[start..end], xmin));
                start = end;
            }

            return new RowPage(documents, buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>A row's key column values in key order (SQL NULL as empty: no key column is nullable in practice).</summary>
    public static string[] KeyOf(RawRowPage raw, int row, CheckedTable table)
    {
        var key = new string[table.KeyIndexes.Length];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = Encoding.UTF8.GetString(raw.Value(row, table.KeyIndexes[k]));
        }

        return key;
    }

    /// <summary>Appends the row's document to <paramref name="buffer"/>.</summary>
    private static (string Id, string[] Key, uint Xmin) Write(IBufferWriter<byte> buffer, RawRowPage raw, int row, CheckedTable table)
    {
        var columns = table.Source.Columns;
        var key = KeyOf(raw, row, table);
        var id = DocumentId.From(key);
        var xmin = uint.Parse(raw.Value(row, columns.Count), CultureInfo.InvariantCulture);
        // A row whose id Elasticsearch would refuse has no document the sink could write (the mapper dead-letters it):
        // it compares as an empty document.
        if (DocumentMapper.IsValidId(key, id))
        {
            DocumentWriter.Write(buffer, table.FieldNames, new PageColumns(raw, row, columns, t_scratch ??= new Scratch()));
        }

        return (id, key, xmin);
    }

    /// <summary>A row's values as PostgreSQL printed them, encoded by the pipeline's own encoder as the document is written.</summary>
    private readonly ref struct PageColumns(RawRowPage raw, int row, IReadOnlyList<SourceColumn> columns, Scratch scratch) : DocumentWriter.IColumns
    {
        public int Count => columns.Count;

        public string NameAt(int index) => columns[index].Name;

        public void WriteValue(int index, IBufferWriter<byte> output)
        {
            if (raw.IsNull(row, index))
            {
                output.Write("null"u8);
                return;
            }

            var text = scratch.Decode(raw.Value(row, index));
            scratch.Writer.Reset(output);
            PgJsonEncoder.Write(scratch.Writer, columns[index].Type, text);
            scratch.Writer.Flush();
        }
    }

    /// <summary>Per-thread: a value's text (the encoder reads UTF-16) and the JSON writer.</summary>
    private sealed class Scratch
    {
        private char[] _chars = new char[4096];

        public Utf8JsonWriter Writer { get; } = new(Stream.Null, PgJsonEncoder.WriterOptions);

        public ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
        {
            if (_chars.Length < utf8.Length)
            {
                _chars = new char[utf8.Length];
            }

            var text = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
            if (_chars.Length > 1 << 20)
            {
                _chars = new char[4096]; // Don't pin a huge buffer for the thread's lifetime after one huge value.
            }

            return text;
        }
    }
}
