using System.Globalization;
using System.Numerics;
using System.Text.Json;
using CdcAspire.Consistency.V1;

namespace CdcAspire.Consistency.Checking;

/// <summary>
/// Compares the document a row maps to with the stored <c>_source</c> by meaning: numbers as exact decimals
/// (<c>1.50</c> = <c>1.5</c> = <c>15e-1</c>, never through a double), strings by code point, strings that are both
/// ISO 8601 timestamps as instants, arrays in order, objects whatever their key order, unicode escapes decoded.
/// Equal bytes (the usual case: the stored source is exactly what was sent) short-circuit.
/// </summary>
public static class DocumentComparer
{
    /// <summary>The differing top-level fields (empty when equal by meaning).</summary>
    public static List<FieldDifference> Differences(ReadOnlyMemory<byte> row, ReadOnlyMemory<byte> document)
    {
        if (row.Span.SequenceEqual(document.Span))
        {
            return [];
        }

        using var r = Parse(row);
        using var d = Parse(document);
        var differences = new List<FieldDifference>();
        var rowFields = Fields(r);
        var docFields = Fields(d);
        foreach (var (name, value) in rowFields)
        {
            docFields.TryGetValue(name, out var other);
            if (!Same(value, other))
            {
                differences.Add(Difference(name, value, other));
            }
        }

        foreach (var (name, value) in docFields)
        {
            if (!rowFields.ContainsKey(name) && value.ValueKind != JsonValueKind.Null)
            {
                differences.Add(Difference(name, default, value));
            }
        }

        return differences;
    }

    /// <summary>Whether two JSON values mean the same (an absent value equals null).</summary>
    public static bool Same(JsonElement a, JsonElement b)
    {
        var ak = a.ValueKind == JsonValueKind.Undefined ? JsonValueKind.Null : a.ValueKind;
        var bk = b.ValueKind == JsonValueKind.Undefined ? JsonValueKind.Null : b.ValueKind;
        if (ak != bk)
        {
            return false;
        }

        switch (ak)
        {
            case JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return Decimal(a.GetRawText()) == Decimal(b.GetRawText());
            case JsonValueKind.String:
                var x = a.GetString()!;
                var y = b.GetString()!;
                return string.Equals(x, y, StringComparison.Ordinal) || SameInstant(x, y);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var ea = a.EnumerateArray())
                using (var eb = b.EnumerateArray())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!Same(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            default:
                var left = Fields(a);
                var right = Fields(b);
                return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && Same(kv.Value, v));
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json) =>
        JsonDocument.Parse(json.Length == 0 ? "{}"u8.ToArray() : json);

    private static Dictionary<string, JsonElement> Fields(JsonDocument document) =>
        document.RootElement.ValueKind == JsonValueKind.Object ? Fields(document.RootElement) : new(StringComparer.Ordinal);

    private static Dictionary<string, JsonElement> Fields(JsonElement obj)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            fields[property.Name] = property.Value; // A repeated key: the last wins, as in Elasticsearch.
        }

        return fields;
    }

    private static FieldDifference Difference(string name, JsonElement row, JsonElement document) => new()
    {
        Field = name,
        RowValue = row.ValueKind == JsonValueKind.Undefined ? "null" : row.GetRawText(),
        DocumentValue = document.ValueKind == JsonValueKind.Undefined ? "null" : document.GetRawText(),
    };

    /// <summary>A JSON number as (unscaled integer, exponent) with trailing zeros removed: equal values, equal pairs.</summary>
    private static (BigInteger Unscaled, int Exponent) Decimal(string text)
    {
        var e = text.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= mantissa.Length - dot - 1;
            mantissa = mantissa.Remove(dot, 1);
        }

        var unscaled = BigInteger.Parse(mantissa, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (unscaled.IsZero)
        {
            return (BigInteger.Zero, 0);
        }

        while (unscaled % 10 == 0)
        {
            unscaled /= 10;
            exponent++;
        }

        return (unscaled, exponent);
    }

    /// <summary>Two ISO 8601 timestamps with an offset that denote the same instant ("2024-01-01T00:00:00Z" = "2024-01-01T01:00:00+01:00").</summary>
    private static bool SameInstant(string a, string b) =>
        a.Length >= 20 && b.Length >= 20 && char.IsAsciiDigit(a[0]) && char.IsAsciiDigit(b[0])
        && a[10] == 'T' && b[10] == 'T'
        && DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var x)
        && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var y)
        && HasOffset(a) && HasOffset(b) && x == y;

    private static bool HasOffset(string s) => s.EndsWith('Z') || s[^6] is '+' or '-';
}
