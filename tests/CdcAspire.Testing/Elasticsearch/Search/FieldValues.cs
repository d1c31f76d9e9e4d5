using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// Compares indexed values with query values by field type: keywords exactly, text by its lower-cased tokens
/// (an approximation of the standard analyzer), numbers and dates numerically.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-term-query.html
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-range-query.html
/// </summary>
internal static class FieldValues
{
    public static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static bool TryDouble(JsonElement v, out double d)
    {
        d = 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetDouble(out d),
            JsonValueKind.String => double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d),
            _ => false,
        };
    }

    public static bool TryDate(JsonElement v, EsDateFormat format, DateTimeOffset now, out long millis)
    {
        millis = 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetInt64(out millis) || (TryDouble(v, out var d) && (millis = (long)d) == millis),
            JsonValueKind.String => DateMath.TryParse(v.GetString()!, format, now, out millis),
            _ => false,
        };
    }

    public static bool TryBool(JsonElement v, out bool b)
    {
        b = v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true");
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False
            || (v.ValueKind == JsonValueKind.String && v.GetString() is "true" or "false");
    }

    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    public static bool TermEquals(ResolvedField field, JsonElement doc, JsonElement query, DateTimeOffset now) =>
        Compare(field, doc, query, null, now) == 0;

    /// <summary>Compares an indexed value with a query value; null when they cannot be compared.</summary>
    public static int? Compare(ResolvedField field, JsonElement doc, JsonElement query, EsDateFormat? queryFormat, DateTimeOffset now)
    {
        switch (field.Kind)
        {
            case FieldKind.Long or FieldKind.Double:
                if (!TryDouble(doc, out var a) || !TryDouble(query, out var b))
                {
                    return null;
                }

                if (field.Mapping.Type is "float" or "half_float")
                {
                    (a, b) = ((float)a, (float)b);
                }

                return a.CompareTo(b);
            case FieldKind.Date:
                var format = field.Mapping.DateFormat ?? EsDateFormat.Default;
                return TryDate(doc, format, now, out var x) && TryDate(query, queryFormat ?? format, now, out var y) ? x.CompareTo(y) : null;
            case FieldKind.Boolean:
                return TryBool(doc, out var p) && TryBool(query, out var q) ? p.CompareTo(q) : null;
            case FieldKind.Text:
                // Term-level queries on text compare against the analysed tokens.
                var term = AsString(query);
                if (term is null)
                {
                    return null;
                }

                foreach (var token in Tokens(AsString(doc) ?? ""))
                {
                    if (token == term)
                    {
                        return 0;
                    }
                }

                var whole = AsString(doc);
                return string.Equals(whole, term, StringComparison.Ordinal) ? 1 : string.CompareOrdinal(whole, term);
            default:
                var text = AsString(doc);
                if (text is null || (field.Mapping.IgnoreAbove is { } limit && text.Length > limit))
                {
                    return null;
                }

                var other = AsString(query);
                return other is null ? null : string.CompareOrdinal(text, other);
        }
    }
}
