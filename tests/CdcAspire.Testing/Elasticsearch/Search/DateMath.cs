using CdcAspire.Testing.Elasticsearch.Mapping;

namespace CdcAspire.Testing.Elasticsearch.Search;

/// <summary>
/// Date math in range bounds: "now-1d/d", "2024-01-01||+1M". Rounding rounds down.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html#date-math
/// </summary>
internal static class DateMath
{
    public static bool TryParse(string text, EsDateFormat format, DateTimeOffset now, out long millis)
    {
        DateTimeOffset value;
        string ops;
        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            value = now;
            ops = text[3..];
        }
        else
        {
            var split = text.IndexOf("||", StringComparison.Ordinal);
            var anchor = split < 0 ? text : text[..split];
            if (!format.TryParse(anchor, out millis))
            {
                return false;
            }

            if (split < 0)
            {
                return true;
            }

            value = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            ops = text[(split + 2)..];
        }

        var i = 0;
        while (i < ops.Length)
        {
            var op = ops[i++];
            var start = i;
            while (i < ops.Length && char.IsAsciiDigit(ops[i]))
            {
                i++;
            }

            var amount = i > start ? int.Parse(ops.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture) : 1;
            if (i >= ops.Length)
            {
                millis = 0;
                return false;
            }

            var unit = ops[i++];
            value = op switch
            {
                '+' => Add(value, unit, amount),
                '-' => Add(value, unit, -amount),
                '/' => Round(value, unit),
                _ => value,
            };
        }

        millis = value.ToUnixTimeMilliseconds();
        return true;
    }

    private static DateTimeOffset Add(DateTimeOffset value, char unit, int amount) => unit switch
    {
        'y' => value.AddYears(amount),
        'M' => value.AddMonths(amount),
        'w' => value.AddDays(7 * amount),
        'd' => value.AddDays(amount),
        'h' or 'H' => value.AddHours(amount),
        'm' => value.AddMinutes(amount),
        's' => value.AddSeconds(amount),
        _ => value,
    };

    private static DateTimeOffset Round(DateTimeOffset v, char unit) => unit switch
    {
        'y' => new DateTimeOffset(v.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
        'M' => new DateTimeOffset(v.Year, v.Month, 1, 0, 0, 0, TimeSpan.Zero),
        'd' => new DateTimeOffset(v.Year, v.Month, v.Day, 0, 0, 0, TimeSpan.Zero),
        'h' or 'H' => new DateTimeOffset(v.Year, v.Month, v.Day, v.Hour, 0, 0, TimeSpan.Zero),
        'm' => new DateTimeOffset(v.Year, v.Month, v.Day, v.Hour, v.Minute, 0, TimeSpan.Zero),
        's' => new DateTimeOffset(v.Year, v.Month, v.Day, v.Hour, v.Minute, v.Second, TimeSpan.Zero),
        _ => v,
    };
}
