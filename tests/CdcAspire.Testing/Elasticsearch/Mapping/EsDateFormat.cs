using System.Globalization;
using System.Text;

namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// A date field's "format": built-in names and Java-style patterns joined by "||", tried in order.
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-date-format.html
/// </summary>
internal sealed class EsDateFormat
{
    private readonly Func<string, long?>[] _parsers;

    private EsDateFormat(string text, Func<string, long?>[] parsers, bool acceptsNumbers)
    {
        Text = text;
        _parsers = parsers;
        AcceptsNumbers = acceptsNumbers;
    }

    /// <summary>The default of date fields: "strict_date_optional_time||epoch_millis".</summary>
    public static EsDateFormat Default { get; } = Parse("strict_date_optional_time||epoch_millis");

    public string Text { get; }

    public int Count => _parsers.Length;

    /// <summary>JSON numbers are formatted as text and parsed; only epoch formats accept them.</summary>
    public bool AcceptsNumbers { get; }

    public static EsDateFormat Parse(string text)
    {
        var names = text.Split("||");
        var parsers = new Func<string, long?>[names.Length];
        var numbers = false;
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i].Trim();
            numbers |= name is "epoch_millis" or "epoch_second";
            parsers[i] = Create(name);
        }

        return new EsDateFormat(text, parsers, numbers);
    }

    public bool TryParse(string value, out long epochMillis)
    {
        foreach (var parser in _parsers)
        {
            if (parser(value) is { } millis)
            {
                epochMillis = millis;
                return true;
            }
        }

        epochMillis = 0;
        return false;
    }

    private static Func<string, long?> Create(string name) => name switch
    {
        "strict_date_optional_time" or "strict_date_optional_time_nanos" => s => Iso(s, true, 1),
        "date_optional_time" => s => Iso(s, false, 1),
        "strict_date" or "date" or "yyyy-MM-dd" => s => s.Length == 10 ? Iso(s, true, 3) : null,
        "strict_date_time" or "date_time" or "strict_date_time_no_millis" or "date_time_no_millis"
            or "strict_date_hour_minute_second" or "date_hour_minute_second" => s => Iso(s, name.StartsWith("strict", StringComparison.Ordinal), 6),
        "epoch_millis" => s => Epoch(s, 1),
        "epoch_second" => s => Epoch(s, 1000),
        _ => Pattern(name),
    };

    private static long? Iso(string s, bool strict, int minimumParts) =>
        IsoDateParser.TryParse(s, strict, minimumParts, out var millis) ? millis : null;

    private static long? Epoch(string s, long scale) =>
        double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            ? (long)(n * scale)
            : null;

    // Java DateTimeFormatter letters translated to .NET custom format letters for the common subset.
    private static Func<string, long?> Pattern(string javaPattern)
    {
        var net = new StringBuilder();
        for (var i = 0; i < javaPattern.Length; i++)
        {
            var c = javaPattern[i];
            switch (c)
            {
                case 'u': net.Append('y'); break;
                case 'S': net.Append('f'); break;
                case 'a': net.Append("tt"); break;
                case 'X' or 'Z' or 'x':
                    while (i + 1 < javaPattern.Length && javaPattern[i + 1] == c)
                    {
                        i++;
                    }

                    net.Append('K');
                    break;
                case '\'':
                    var end = javaPattern.IndexOf('\'', i + 1);
                    end = end < 0 ? javaPattern.Length - 1 : end;
                    net.Append(javaPattern, i, end - i + 1);
                    i = end;
                    break;
                default: net.Append(c); break;
            }
        }

        var format = net.ToString();
        return s => DateTimeOffset.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.ToUnixTimeMilliseconds()
            : null;
    }
}
