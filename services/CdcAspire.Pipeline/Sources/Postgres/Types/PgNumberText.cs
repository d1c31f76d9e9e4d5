using System.Text.Json;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// Writes integer, numeric and float text as a JSON number with the exact digits PostgreSQL printed: never parsed
/// into double or decimal, so <c>12345678901234567890.123456789</c> stays that. NaN and infinities, which JSON
/// numbers cannot hold, become the strings PostgreSQL prints.
/// </summary>
internal static class PgNumberText
{
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<char> text, PgType type)
    {
        if (IsJsonNumber(text))
        {
            writer.WriteRawValue(text, skipInputValidation: true);
            return;
        }

        // numeric prints NaN/Infinity/-Infinity; float4/float8 print the same words.
        if (type.Kind != PgJsonKind.Integral && (text is "NaN" or "Infinity" or "-Infinity"))
        {
            PgJsonString.Write(writer, text);
            return;
        }

        throw new FormatException(
            $"A {type.Name} value is not a number as PostgreSQL prints it ({text.Length} characters); " +
            "check that the column's type OID matches its values.");
    }

    /// <summary>RFC 8259 number grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            i = Digits(text, i);
        }

        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            i = Digits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            var start = i;
            i = Digits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int Digits(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
