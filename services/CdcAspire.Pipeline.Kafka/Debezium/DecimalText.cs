using System.Globalization;
using System.Numerics;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Kafka Connect's <c>Decimal</c> logical type: the unscaled value as big-endian two's-complement bytes (base64 in
/// JSON) and the scale in the schema parameters. Rendered as the exact decimal literal, never through a double.
/// See https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-decimal-types
/// </summary>
internal static class DecimalText
{
    public static string FromUnscaled(string base64, int scale)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new DecodeException("malformed_decimal", $"Decimal value '{base64}' is not base64: {ex.Message}", ex);
        }

        var unscaled = bytes.Length == 0 ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
        return Format(unscaled, scale);
    }

    public static string Format(BigInteger unscaled, int scale)
    {
        var negative = unscaled.Sign < 0;
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        string text;
        if (scale <= 0)
        {
            text = scale == 0 || digits == "0" ? digits : digits + new string('0', -scale);
        }
        else
        {
            if (digits.Length <= scale)
            {
                digits = new string('0', scale - digits.Length + 1) + digits;
            }

            text = digits[..^scale] + "." + digits[^scale..];
        }

        return negative ? "-" + text : text;
    }

    /// <summary>True when <paramref name="text"/> is a plain JSON number literal (so it can be written raw).</summary>
    public static bool IsJsonNumber(string text)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        try
        {
            return reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.Number && !reader.Read();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
