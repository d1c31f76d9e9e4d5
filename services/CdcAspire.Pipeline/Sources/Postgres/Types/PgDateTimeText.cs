using System.Globalization;
using System.Text.Json;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// date, timestamp and timestamptz in DateStyle ISO (<c>2024-01-02 03:04:05.123456+00</c>) to ISO-8601 strings
/// (<c>2024-01-02T03:04:05.123456Z</c>) by rearranging characters, never through DateTime, so every microsecond
/// and every year PostgreSQL supports (4713 BC to 294276 AD) survives.
/// <list type="bullet">
/// <item>BC years become ISO-8601 astronomical years, as java.time and JavaScript's expanded years do:
/// 1 BC is <c>0000</c>, 44 BC is <c>-0043</c> (<c>0044-03-15 BC</c> -> <c>-0043-03-15</c>).</item>
/// <item>Years after 9999 get the ISO expanded-year sign: <c>12345-01-01</c> -> <c>+12345-01-01</c>.</item>
/// <item>A zero offset (<c>+00</c>, <c>+00:00</c>) becomes <c>Z</c>; any other offset (a session not in UTC) is
/// kept as <c>+05:30</c>, which names the same instant.</item>
/// <item><c>infinity</c>/<c>-infinity</c> stay those strings.</item>
/// </list>
/// https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-DATETIME-OUTPUT
/// </summary>
internal static class PgDateTimeText
{
    private const int MaxLength = 64;

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<char> text, PgJsonKind kind)
    {
        if (text is "infinity" or "-infinity")
        {
            PgJsonString.Write(writer, text);
            return;
        }

        // Longest input is about 40 chars ("294276-12-31 23:59:59.999999+00:00:00"); output is never longer than
        // input plus two quotes, a sign and the digits a BC year can gain. The cap keeps stackalloc bounded.
        if (text.Length > MaxLength)
        {
            throw NotIso(kind);
        }

        Span<byte> buffer = stackalloc byte[text.Length + 8];
        var length = Format(text, kind, buffer);
        writer.WriteRawValue(buffer[..length], skipInputValidation: true);
    }

    /// <summary>Writes the quoted ISO form into <paramref name="destination"/>; returns the byte count.</summary>
    public static int Format(ReadOnlySpan<char> text, PgJsonKind kind, Span<byte> destination)
    {
        var bc = text.EndsWith(" BC", StringComparison.Ordinal);
        if (bc)
        {
            text = text[..^3];
        }

        var yearEnd = text.IndexOf('-');
        if (yearEnd < 4 || text.Length < yearEnd + 6 || text[yearEnd + 3] != '-' || !AllDigits(text[..yearEnd]))
        {
            throw NotIso(kind);
        }

        var w = 0;
        destination[w++] = (byte)'"';
        w += WriteYear(text[..yearEnd], bc, destination[w..]);
        w += CopyAscii(text.Slice(yearEnd, 6), destination[w..], kind);
        var rest = text[(yearEnd + 6)..];

        if (kind == PgJsonKind.Date)
        {
            if (!rest.IsEmpty)
            {
                throw NotIso(kind);
            }
        }
        else
        {
            if (rest.Length < 9 || rest[0] != ' ' || rest[3] != ':')
            {
                throw NotIso(kind);
            }

            destination[w++] = (byte)'T';
            rest = rest[1..];
            var offsetStart = kind == PgJsonKind.TimestampTz ? rest.IndexOfAny('+', '-') : -1;
            if (kind == PgJsonKind.TimestampTz && offsetStart < 0)
            {
                throw NotIso(kind);
            }

            var time = offsetStart < 0 ? rest : rest[..offsetStart];
            w += CopyAscii(time, destination[w..], kind);
            if (offsetStart >= 0)
            {
                w += WriteOffset(rest[offsetStart..], destination[w..], kind);
            }
        }

        destination[w++] = (byte)'"';
        return w;
    }

    private static int WriteYear(ReadOnlySpan<char> digits, bool bc, Span<byte> destination)
    {
        if (!bc)
        {
            var sign = 0;
            if (digits.Length > 4)
            {
                destination[0] = (byte)'+';
                sign = 1;
            }

            return sign + CopyAscii(digits, destination[sign..], PgJsonKind.Date);
        }

        // Year n BC is astronomical year 1 - n.
        var year = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) - 1;
        var w = 0;
        if (year > 0)
        {
            destination[w++] = (byte)'-';
        }

        year.TryFormat(destination[w..], out var written, "D4", CultureInfo.InvariantCulture);
        return w + written;
    }

    // "+00", "+00:00", "+00:00:00" -> Z; others "+05" -> "+05:00", "-03:30" kept.
    private static int WriteOffset(ReadOnlySpan<char> offset, Span<byte> destination, PgJsonKind kind)
    {
        if (offset.Length < 3 || !char.IsAsciiDigit(offset[1]) || !char.IsAsciiDigit(offset[2]))
        {
            throw NotIso(kind);
        }

        if (offset[1..].TrimStart("0:").IsEmpty)
        {
            destination[0] = (byte)'Z';
            return 1;
        }

        var w = CopyAscii(offset, destination, kind);
        if (offset.Length == 3)
        {
            destination[w++] = (byte)':';
            destination[w++] = (byte)'0';
            destination[w++] = (byte)'0';
        }

        return w;
    }

    private static int CopyAscii(ReadOnlySpan<char> text, Span<byte> destination, PgJsonKind kind)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c) && c is not ('-' or '+' or ':' or '.'))
            {
                throw NotIso(kind);
            }

            destination[i] = (byte)c;
        }

        return text.Length;
    }

    private static bool AllDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    private static FormatException NotIso(PgJsonKind kind) =>
        new($"A {kind} value is not in PostgreSQL's ISO output format (yyyy-mm-dd hh:mm:ss[.ffffff][+hh]). " +
            "Set DateStyle=ISO on the source connection.");
}
