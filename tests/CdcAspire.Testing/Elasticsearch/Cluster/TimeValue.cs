using System.Globalization;
using CdcAspire.Testing.Elasticsearch.Http;

namespace CdcAspire.Testing.Elasticsearch.Cluster;

/// <summary>
/// ES time units ("60s", "500ms", "1m", "-1").
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/api-conventions.html#time-units
/// </summary>
internal static class TimeValue
{
    /// <summary>Returns null for "-1", which ES uses to disable a periodic action such as refresh.</summary>
    public static TimeSpan? Parse(string setting, string value)
    {
        var text = value.Trim();
        if (text == "-1")
        {
            return null;
        }

        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        (string Suffix, double Ms)[] units = [("nanos", 1e-6), ("micros", 1e-3), ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0)
            {
                return TimeSpan.FromMilliseconds(n * ms);
            }
        }

        throw new EsException(EsErrors.IllegalArgument(
            $"failed to parse setting [{setting}] with value [{value}] as a time value: unit is missing or unrecognized"));
    }
}
