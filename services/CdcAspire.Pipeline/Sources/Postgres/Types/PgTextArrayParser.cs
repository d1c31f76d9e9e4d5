using System.Buffers;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// Reads PostgreSQL array literals as array_out prints them (and array_in accepts): <c>{a,b}</c>, quoted elements
/// with <c>\"</c> and <c>\\</c> escapes, unquoted <c>NULL</c> for a null element, <c>{}</c>, nested
/// <c>{{1,2},{3,4}}</c> for several dimensions, an optional <c>[0:1]=</c> bounds decoration (skipped: JSON arrays
/// have no lower bound) and the element type's delimiter. https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO
/// </summary>
public static class PgTextArrayParser
{
    /// <summary>
    /// Parses <paramref name="literal"/> into nested lists: each array is an <see cref="IReadOnlyList{T}"/> whose
    /// items are strings, nulls or nested lists. Convenient, allocating; the encoder uses the visitor overload.
    /// </summary>
    public static IReadOnlyList<object?> Parse(string literal, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(literal);
        var builder = new PgArrayTreeBuilder();
        Parse(literal, delimiter, ref builder);
        return builder.Result;
    }

    /// <summary>Streams the structure of <paramref name="literal"/> to <paramref name="visitor"/>, allocation-free.</summary>
    /// <exception cref="FormatException">The text is not an array literal.</exception>
    public static void Parse<TVisitor>(ReadOnlySpan<char> literal, char delimiter, ref TVisitor visitor)
        where TVisitor : IPgArrayVisitor
    {
        char[]? scratch = null;
        try
        {
            var i = SkipBounds(literal);
            if (i >= literal.Length || literal[i] != '{')
            {
                throw Malformed(i, "expected '{'");
            }

            visitor.StartArray();
            i++;
            var depth = 1;
            while (depth > 0)
            {
                i = SkipWhiteSpace(literal, i);
                if (i >= literal.Length)
                {
                    throw Malformed(i, "unexpected end");
                }

                var c = literal[i];
                if (c == '{')
                {
                    visitor.StartArray();
                    depth++;
                    i++;
                    continue;
                }

                if (c == '}')
                {
                    visitor.EndArray();
                    depth--;
                    i++;
                }
                else if (c == '"')
                {
                    i = ReadQuoted(literal, i, ref scratch, out var text);
                    visitor.Element(text, isNull: false);
                }
                else
                {
                    i = ReadUnquoted(literal, i, delimiter, ref scratch, out var text, out var isNull);
                    visitor.Element(text, isNull);
                }

                if (depth > 0)
                {
                    i = SkipSeparator(literal, i, delimiter);
                }
            }

            if (SkipWhiteSpace(literal, i) != literal.Length)
            {
                throw Malformed(i, "text after the closing '}'");
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<char>.Shared.Return(scratch);
            }
        }
    }

    // "[1:2][0:0]=" precedes the braces when a lower bound is not 1.
    private static int SkipBounds(ReadOnlySpan<char> literal)
    {
        var i = SkipWhiteSpace(literal, 0);
        if (i < literal.Length && literal[i] == '[')
        {
            var equals = literal.IndexOf('=');
            if (equals < 0)
            {
                throw Malformed(i, "dimension bounds without '='");
            }

            i = SkipWhiteSpace(literal, equals + 1);
        }

        return i;
    }

    // After an element or a closing brace: a delimiter (consumed) or the enclosing '}' (left for the loop).
    private static int SkipSeparator(ReadOnlySpan<char> literal, int i, char delimiter)
    {
        i = SkipWhiteSpace(literal, i);
        if (i < literal.Length && literal[i] == delimiter)
        {
            return i + 1;
        }

        if (i < literal.Length && literal[i] == '}')
        {
            return i;
        }

        throw Malformed(i, $"expected '{delimiter}' or '}}'");
    }

    private static int ReadQuoted(ReadOnlySpan<char> literal, int start, ref char[]? scratch, out ReadOnlySpan<char> text)
    {
        var body = literal[(start + 1)..];
        var end = body.IndexOfAny('"', '\\');
        if (end >= 0 && body[end] == '"')
        {
            // No escapes: the element is a slice of the literal.
            text = body[..end];
            return start + 1 + end + 1;
        }

        var buffer = Scratch(ref scratch, literal.Length);
        var length = 0;
        for (var i = start + 1; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c == '"')
            {
                text = buffer.AsSpan(0, length);
                return i + 1;
            }

            if (c == '\\')
            {
                if (++i >= literal.Length)
                {
                    break;
                }

                c = literal[i];
            }

            buffer[length++] = c;
        }

        throw Malformed(start, "unterminated quoted element");
    }

    private static int ReadUnquoted(
        ReadOnlySpan<char> literal, int start, char delimiter, ref char[]? scratch, out ReadOnlySpan<char> text, out bool isNull)
    {
        // array_out never escapes unquoted elements, but array_in accepts backslashes there too.
        var i = start;
        var escaped = false;
        while (i < literal.Length && literal[i] != delimiter && literal[i] != '}' && literal[i] != '{' && literal[i] != '"')
        {
            if (literal[i] == '\\')
            {
                escaped = true;
                i++;
            }

            i++;
        }

        if (i > literal.Length)
        {
            throw Malformed(start, "backslash at the end");
        }

        var raw = literal[start..i].TrimEnd();
        if (raw.IsEmpty)
        {
            throw Malformed(start, "empty unquoted element");
        }

        if (escaped)
        {
            var buffer = Scratch(ref scratch, literal.Length);
            var length = 0;
            for (var j = 0; j < raw.Length; j++)
            {
                buffer[length++] = raw[j] == '\\' ? raw[++j] : raw[j];
            }

            text = buffer.AsSpan(0, length);
            isNull = false;
            return i;
        }

        text = raw;
        isNull = raw.Equals("NULL", StringComparison.OrdinalIgnoreCase);
        return i;
    }

    private static char[] Scratch(ref char[]? scratch, int length) =>
        scratch ??= ArrayPool<char>.Shared.Rent(length);

    private static int SkipWhiteSpace(ReadOnlySpan<char> literal, int i)
    {
        while (i < literal.Length && char.IsWhiteSpace(literal[i]))
        {
            i++;
        }

        return i;
    }

    private static FormatException Malformed(int position, string reason) =>
        new($"Malformed PostgreSQL array literal at character {position}: {reason}. " +
            "The value did not come from array_out; check the column's type OID.");
}
