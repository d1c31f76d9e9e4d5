using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CdcAspire.Pipeline.Changes;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// Turns a column value in PostgreSQL's text output format into a JSON value, faithfully: numbers keep their exact
/// digits, timestamps every microsecond, text every character, and whatever has no JSON equivalent stays the
/// string PostgreSQL printed. Expects the session settings <c>DateStyle=ISO, MDY</c>, <c>TimeZone=UTC</c>,
/// <c>IntervalStyle=iso_8601</c>, <c>extra_float_digits=3</c>, <c>bytea_output=hex</c>; with others it throws
/// <see cref="FormatException"/> naming the setting rather than write a wrong value. Thread-safe.
/// </summary>
public static class PgJsonEncoder
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Options for a <see cref="Utf8JsonWriter"/> that documents are written with. The relaxed encoder keeps
    /// non-ASCII property names readable; it is safe because the output goes to Elasticsearch, never into HTML.
    /// Values written by this class do not depend on it (see <see cref="PgJsonString"/>).
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The value as a standalone UTF-8 JSON value; <c>null</c> for a SQL NULL.</summary>
    /// <exception cref="FormatException">The text is not what PostgreSQL prints for the type.</exception>
    public static byte[] Encode(PgType type, string? text) =>
        text is null ? "null"u8.ToArray() : Encode(type, text.AsSpan());

    /// <summary>The value (never a SQL NULL) as a standalone UTF-8 JSON value.</summary>
    /// <exception cref="FormatException">The text is not what PostgreSQL prints for the type.</exception>
    public static byte[] Encode(PgType type, ReadOnlySpan<char> text)
    {
        // One buffer and writer per thread: the only allocation per value is the returned array.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, type, text);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // Leave nothing half-written for the next call on this thread, and don't pin a huge buffer.
            writer.Reset(buffer);
            if (buffer.Capacity > 1 << 20)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>A <see cref="ColumnValue"/> for the column; SQL NULL shares <see cref="ColumnValue.JsonNull"/>.</summary>
    public static ColumnValue ToColumnValue(string name, PgType type, string? text) =>
        text is null ? ColumnValue.Null(name) : new ColumnValue(name, Encode(type, text.AsSpan()));

    /// <summary>Writes the value, or JSON null for a SQL NULL, as the next value of <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, PgType type, string? text)
    {
        if (text is null)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteNullValue();
            return;
        }

        Write(writer, type, text.AsSpan());
    }

    /// <summary>Writes the value (never a SQL NULL) as the next value of <paramref name="writer"/>.</summary>
    /// <exception cref="FormatException">The text is not what PostgreSQL prints for the type.</exception>
    public static void Write(Utf8JsonWriter writer, PgType type, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(type);
        var effective = type.Effective;
        switch (effective.Kind)
        {
            case PgJsonKind.Boolean:
                WriteBoolean(writer, text);
                break;
            case PgJsonKind.Integral or PgJsonKind.Numeric or PgJsonKind.FloatingPoint:
                PgNumberText.Write(writer, text, effective);
                break;
            case PgJsonKind.TimestampTz or PgJsonKind.Timestamp or PgJsonKind.Date:
                PgDateTimeText.Write(writer, text, effective.Kind);
                break;
            case PgJsonKind.Json:
                PgJsonText.Write(writer, text, effective);
                break;
            case PgJsonKind.Bytea:
                PgByteaText.Write(writer, text);
                break;
            case PgJsonKind.Array:
                var element = effective.Element!;
                var visitor = new PgArrayJsonWriter(writer, element);
                PgTextArrayParser.Parse(text, element.Delimiter, ref visitor);
                break;
            default:
                PgJsonString.Write(writer, text);
                break;
        }
    }

    private static void WriteBoolean(Utf8JsonWriter writer, ReadOnlySpan<char> text)
    {
        if (text is "t")
        {
            writer.WriteBooleanValue(true);
        }
        else if (text is "f")
        {
            writer.WriteBooleanValue(false);
        }
        else
        {
            throw new FormatException("A bool value is neither 't' nor 'f'; check that the column's type OID matches its values.");
        }
    }
}
