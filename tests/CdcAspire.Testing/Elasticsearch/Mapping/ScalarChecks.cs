using System.Globalization;
using System.Text.Json;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// Whether a JSON scalar can be indexed into a field type, with ES's coercion rules; returns the "caused_by" error.
/// Coercion: https://www.elastic.co/guide/en/elasticsearch/reference/current/coerce.html
/// Numbers: https://www.elastic.co/guide/en/elasticsearch/reference/current/number.html
/// Booleans: https://www.elastic.co/guide/en/elasticsearch/reference/current/boolean.html
/// Dates: https://www.elastic.co/guide/en/elasticsearch/reference/current/date.html
/// Binary: https://www.elastic.co/guide/en/elasticsearch/reference/current/binary.html
/// </summary>
internal static class ScalarChecks
{
    public static EsError? Check(ref Utf8JsonReader reader, FieldMapping field) => field.Type switch
    {
        "long" => Integer(ref reader, long.MinValue, long.MaxValue, "a long"),
        "integer" => Integer(ref reader, int.MinValue, int.MaxValue, "an integer"),
        "short" => Integer(ref reader, short.MinValue, short.MaxValue, "a short"),
        "byte" => Integer(ref reader, sbyte.MinValue, sbyte.MaxValue, "a byte"),
        "unsigned_long" => Integer(ref reader, 0, long.MaxValue, "an unsigned_long"),
        "double" or "scaled_float" => Floating(ref reader, double.MaxValue, "double"),
        "float" => Floating(ref reader, float.MaxValue, "float"),
        "half_float" => Floating(ref reader, 65504, "half_float"),
        "boolean" => Boolean(ref reader),
        "date" or "date_nanos" => Date(ref reader, field.DateFormat ?? EsDateFormat.Default),
        "binary" => Binary(ref reader),
        "completion" => reader.TokenType == JsonTokenType.String ? null
            : EsErrors.IllegalArgument($"expected text or object, but got {TokenName(reader.TokenType)}"),
        "ip" => reader.TokenType == JsonTokenType.String && System.Net.IPAddress.TryParse(reader.GetString(), out _) ? null
            : EsErrors.IllegalArgument($"'{Text(ref reader)}' is not an IP string literal."),
        _ => null,
    };

    public static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString() ?? "",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
    };

    public static string TokenName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "VALUE_STRING",
        JsonTokenType.Number => "VALUE_NUMBER",
        JsonTokenType.True or JsonTokenType.False => "VALUE_BOOLEAN",
        JsonTokenType.Null => "VALUE_NULL",
        JsonTokenType.StartObject => "START_OBJECT",
        JsonTokenType.StartArray => "START_ARRAY",
        JsonTokenType.EndObject => "END_OBJECT",
        JsonTokenType.EndArray => "END_ARRAY",
        JsonTokenType.PropertyName => "FIELD_NAME",
        _ => token.ToString().ToUpperInvariant(),
    };

    private static EsError? Integer(ref Utf8JsonReader reader, long min, long max, string article)
    {
        double value;
        string text;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var exact):
                return exact < min || exact > max ? OutOfRange(exact.ToString(CultureInfo.InvariantCulture), article) : null;
            case JsonTokenType.Number:
                text = Text(ref reader);
                value = reader.GetDouble();
                break;
            case JsonTokenType.String:
                text = reader.GetString() ?? "";
                if (text.Length == 0)
                {
                    // An empty string is treated as null by numeric fields.
                    return null;
                }

                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed < min || parsed > max ? OutOfRange(text, article) : null;
                }

                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    return new EsError(400, "number_format_exception", $"For input string: \"{text}\"");
                }

                break;
            default:
                return NotNumeric(reader.TokenType);
        }

        // Coercion truncates fractions; the truncated value must still fit the type.
        var truncated = Math.Truncate(value);
        return !double.IsFinite(value) || truncated < min || truncated > max ? OutOfRange(text, article) : null;
    }

    private static EsError? Floating(ref Utf8JsonReader reader, double max, string type)
    {
        double value;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                value = reader.GetDouble();
                break;
            case JsonTokenType.String:
                var text = reader.GetString() ?? "";
                if (text.Length == 0)
                {
                    return null;
                }

                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    return new EsError(400, "number_format_exception", $"For input string: \"{text}\"");
                }

                break;
            default:
                return NotNumeric(reader.TokenType);
        }

        return double.IsFinite(value) && Math.Abs(value) <= max
            ? null
            : EsErrors.IllegalArgument($"[{type}] supports only finite values, but got [{Text(ref reader)}]");
    }

    private static EsError? Boolean(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return null;
        }

        var text = Text(ref reader);
        return reader.TokenType == JsonTokenType.String && text is "true" or "false" or ""
            ? null
            : EsErrors.IllegalArgument($"Failed to parse value [{text}] as only [true] or [false] are allowed.");
    }

    private static EsError? Date(ref Utf8JsonReader reader, EsDateFormat format)
    {
        var text = Text(ref reader);
        var ok = reader.TokenType switch
        {
            JsonTokenType.String => format.TryParse(text, out _),
            JsonTokenType.Number => format.AcceptsNumbers,
            _ => false,
        };
        if (ok)
        {
            return null;
        }

        var cause = new EsError(400, "date_time_parse_exception",
            format.Count > 1 ? "Failed to parse with all enclosed parsers" : $"Text '{text}' could not be parsed at index 0");
        return new EsError(400, "illegal_argument_exception", $"failed to parse date field [{text}] with format [{format.Text}]", cause);
    }

    private static EsError? Binary(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && System.Buffers.Text.Base64.IsValid(reader.GetString())
            ? null
            : EsErrors.IllegalArgument($"Failed to decode {TokenName(reader.TokenType)} as base64 (MIME-NO-LINEFEEDS): Illegal character in base64 content");

    private static EsError OutOfRange(string text, string article) =>
        EsErrors.IllegalArgument($"Value [{text}] is out of range for {article}");

    private static EsError NotNumeric(JsonTokenType token) =>
        EsErrors.XContentParse($"Current token ({TokenName(token)}) not numeric, can not use numeric value accessors");
}
