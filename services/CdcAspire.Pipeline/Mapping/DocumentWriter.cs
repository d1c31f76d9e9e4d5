using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CdcAspire.Pipeline.Mapping;

/// <summary>
/// Writes a row's document, <c>{"column":value,...}</c> over the columns the mapping includes, in row order. The
/// sink (<see cref="DocumentMapper"/>) and the consistency check both write through here, so the check compares
/// Elasticsearch's copy with exactly the bytes the sink would have sent.
/// </summary>
public static class DocumentWriter
{
    /// <summary>A row's columns as the writer sees them: names, and each value written as JSON on demand.</summary>
    public interface IColumns
    {
        int Count { get; }

        string NameAt(int index);

        /// <summary>Writes the column's value as one JSON value (<c>null</c> for SQL NULL).</summary>
        void WriteValue(int index, IBufferWriter<byte> output);
    }

    // "name": as UTF-8, per column name: encoding it per row and column was a visible share of a profile of wide
    // rows. Bounded by the column names of the followed tables.
    private static readonly ConcurrentDictionary<string, byte[]> EncodedNames = new(StringComparer.Ordinal);

    /// <summary>Appends the document to <paramref name="output"/>.</summary>
    public static void Write<TColumns>(IBufferWriter<byte> output, TableMapping mapping, TColumns columns)
        where TColumns : IColumns, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var names = ArrayPool<byte[]?>.Shared.Rent(columns.Count);
        try
        {
            for (var i = 0; i < columns.Count; i++)
            {
                names[i] = FieldName(mapping, columns.NameAt(i));
            }

            Write(output, names.AsSpan(0, columns.Count), columns);
        }
        finally
        {
            ArrayPool<byte[]?>.Shared.Return(names, clearArray: true);
        }
    }

    /// <summary>
    /// Appends the document to <paramref name="output"/>, with the field names of <see cref="FieldNames"/>: for many
    /// rows of the same columns (a full check writes a million), the mapping is asked once, not per row and column.
    /// </summary>
    public static void Write<TColumns>(IBufferWriter<byte> output, ReadOnlySpan<byte[]?> fieldNames, TColumns columns)
        where TColumns : IColumns, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{"u8);
        var first = true;
        for (var i = 0; i < fieldNames.Length; i++)
        {
            if (fieldNames[i] is not { } name)
            {
                continue;
            }

            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            output.Write(name);
            columns.WriteValue(i, output);
        }

        output.Write("}"u8);
    }

    /// <summary>Each column's <c>"name":</c> as UTF-8, or null for a column the mapping leaves out.</summary>
    public static byte[]?[] FieldNames(TableMapping mapping, IEnumerable<string> columnNames)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return [.. columnNames.Select(n => FieldName(mapping, n))];
    }

    private static byte[]? FieldName(TableMapping mapping, string name) => mapping.Includes(name) ? EncodedName(name) : null;

    private static byte[] EncodedName(string name) =>
        EncodedNames.GetOrAdd(name, static n =>
            // Column names are identifiers; encode through the JSON encoder so quotes or backslashes stay valid JSON.
            [.. "\""u8, .. JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes, .. "\":"u8]);
}
