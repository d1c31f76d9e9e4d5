using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// Embeds json/jsonb text as JSON: validated (so a broken value fails here, not as a corrupt bulk request) and
/// compacted (whitespace outside strings removed; json keeps its author's layout, jsonb prints ", " and ": ").
/// Strings, escapes, key order and duplicate keys (legal in json) are kept exactly.
/// </summary>
internal static class PgJsonText
{
    // PostgreSQL's own limit is its stack depth; Utf8JsonReader's default of 64 would reject legal documents.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 10_000 };

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<char> text, PgType type)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var utf8 = rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented));
            Validate(utf8, type);
            writer.WriteRawValue(utf8[..Compact(utf8)], skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Validate(ReadOnlySpan<byte> utf8, PgType type)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            while (reader.Read())
            {
            }

            if (reader.BytesConsumed == 0)
            {
                throw new JsonException("empty text");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException(
                $"A {type.Name} value is not valid JSON ({ex.Message}); PostgreSQL never prints that, so the " +
                "column's type OID or the decoding of the message is wrong.", ex);
        }
    }

    // In place: drop whitespace outside strings. Safe after validation: whitespace outside strings is only ever
    // insignificant there.
    private static int Compact(Span<byte> utf8)
    {
        var w = 0;
        var inString = false;
        for (var r = 0; r < utf8.Length; r++)
        {
            var b = utf8[r];
            if (inString)
            {
                utf8[w++] = b;
                if (b == (byte)'\\')
                {
                    utf8[w++] = utf8[++r];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                utf8[w++] = b;
                inString = b == (byte)'"';
            }
        }

        return w;
    }
}
