using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// Writes a JSON string escaping only what RFC 8259 requires (<c>"</c>, <c>\</c>, U+0000..U+001F) and everything
/// else as UTF-8. Even <c>JavaScriptEncoder.UnsafeRelaxedJsonEscaping</c> escapes characters outside the Basic
/// Multilingual Plane (emoji become <c>\uD83D\uDE00</c>) and a custom encoder needs unsafe code; this is simpler and
/// faster. Skipping HTML-sensitive escapes (<c>&lt;</c>, <c>&amp;</c>, <c>'</c>) is safe because these bytes only
/// ever go to Elasticsearch's JSON parser, never into a web page or script.
/// </summary>
internal static class PgJsonString
{
    private const int StackLimit = 512;

    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<char> text)
    {
        // Worst case: every char a control char (\u00XX, 6 bytes); a UTF-16 char is at most 3 UTF-8 bytes.
        var max = (text.Length * 6) + 2;
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Escape(text, buffer);
            writer.WriteRawValue(buffer[..length], skipInputValidation: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes <c>"text"</c>, escaped, into <paramref name="destination"/>; returns the byte count.</summary>
    public static int Escape(ReadOnlySpan<char> text, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var written = 1;
        while (!text.IsEmpty)
        {
            var next = text.IndexOfAny(NeedsEscape);
            var clean = next < 0 ? text : text[..next];
            // replaceInvalidSequences: false: a lone surrogate cannot come from PostgreSQL (its text is valid
            // UTF-8); if one appears, fail instead of silently writing U+FFFD.
            if (Utf8.FromUtf16(clean, destination[written..], out _, out var bytes, replaceInvalidSequences: false)
                != OperationStatus.Done)
            {
                throw new FormatException("The value contains invalid UTF-16 (a lone surrogate) and cannot be written as JSON.");
            }

            written += bytes;
            if (next < 0)
            {
                break;
            }

            written += EscapeOne(text[next], destination[written..]);
            text = text[(next + 1)..];
        }

        destination[written++] = (byte)'"';
        return written;
    }

    private static int EscapeOne(char c, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        var shortForm = c switch
        {
            '"' => '"',
            '\\' => '\\',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            '\b' => 'b',
            '\f' => 'f',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            destination[1] = (byte)shortForm;
            return 2;
        }

        const string Hex = "0123456789abcdef";
        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = (byte)Hex[c >> 4];
        destination[5] = (byte)Hex[c & 0xF];
        return 6;
    }
}
