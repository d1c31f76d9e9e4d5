using System.Globalization;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Debezium's temporal encodings (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-temporal-types)
/// rendered as ISO-8601 text the way the direct pgoutput source renders them: <c>timestamptz</c> in UTC with
/// <c>Z</c>, <c>timestamp</c> without an offset, dates as <c>yyyy-MM-dd</c>, fractions only as long as needed.
/// </summary>
internal static class TemporalText
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static string Date(long daysSinceEpoch) =>
        DateOnly.FromDayNumber(checked((int)(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + daysSinceEpoch)))
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A timestamp without time zone, given as a count of <paramref name="unitsPerSecond"/> since the epoch.</summary>
    public static string LocalTimestamp(long value, long unitsPerSecond) =>
        FormatDateTime(DateTime.UnixEpoch.AddTicks(ToTicks(value, unitsPerSecond)), Fraction(value, unitsPerSecond), utc: false);

    /// <summary>An ISO-8601 timestamp with an offset (Debezium's <c>ZonedTimestamp</c>), normalised to UTC.</summary>
    public static string ZonedTimestamp(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new DecodeException("malformed_temporal", $"'{text}' is not an ISO-8601 timestamp with offset.");
        }

        var fraction = FractionDigits(text);
        return FormatDateTime(value.UtcDateTime, Math.Min(fraction, 7), utc: true);
    }

    /// <summary>A time of day, given as a count of <paramref name="unitsPerSecond"/> since midnight.</summary>
    public static string TimeOfDay(long value, long unitsPerSecond)
    {
        var time = new TimeSpan(ToTicks(value, unitsPerSecond));
        var text = time.Days > 0 ? "24:00:00" : time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return text + FractionText(time.Ticks % TimeSpan.TicksPerSecond, Fraction(value, unitsPerSecond));
    }

    private static long ToTicks(long value, long unitsPerSecond) => unitsPerSecond switch
    {
        1_000 => value * TimeSpan.TicksPerMillisecond,
        1_000_000 => value * TicksPerMicrosecond,
        1_000_000_000 => value / 100,
        _ => throw new ArgumentOutOfRangeException(nameof(unitsPerSecond)),
    };

    private static int Fraction(long value, long unitsPerSecond) => unitsPerSecond switch
    {
        1_000 => 3,
        1_000_000 => 6,
        _ => 7,
    };

    private static string FormatDateTime(DateTime value, int fractionDigits, bool utc) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
        FractionText(value.Ticks % TimeSpan.TicksPerSecond, fractionDigits) + (utc ? "Z" : string.Empty);

    private static string FractionText(long ticksInSecond, int maxDigits)
    {
        if (ticksInSecond == 0 || maxDigits == 0)
        {
            return string.Empty;
        }

        var digits = ticksInSecond.ToString("D7", CultureInfo.InvariantCulture)[..Math.Min(maxDigits, 7)].TrimEnd('0');
        return digits.Length == 0 ? string.Empty : "." + digits;
    }

    private static int FractionDigits(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return 0;
        }

        var count = 0;
        for (var i = dot + 1; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            count++;
        }

        return count;
    }
}
