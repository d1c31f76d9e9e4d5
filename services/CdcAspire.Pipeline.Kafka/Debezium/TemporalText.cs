using System.Globalization;

namespace CdcAspire.Pipeline.Kafka.Debezium;

/// <summary>
/// Debezium's temporal encodings (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-temporal-types)
/// rendered as ISO-8601 text the way the direct pgoutput source renders them: <c>timestamptz</c> in UTC with
/// <c>Z</c>, <c>timestamp</c> without an offset, dates as <c>yyyy-MM-dd</c>, fractions only as long as needed.
/// </summary>
internal static class TemporalText
{
    /// <summary>What the direct source writes for PostgreSQL's special values (see PgDateTimeText).</summary>
    public const string PositiveInfinity = "infinity";

    /// <inheritdoc cref="PositiveInfinity"/>
    public const string NegativeInfinity = "-infinity";

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>
    /// Debezium's documented stand-ins for timestamp <c>infinity</c>/<c>-infinity</c> (pgjdbc's
    /// <c>PGStatement.DATE_POSITIVE_INFINITY</c>/<c>DATE_NEGATIVE_INFINITY</c>), sent as they are for millisecond and
    /// microsecond timestamps: https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-timestamp-type
    /// </summary>
    private const long InfinityTimestamp = 9_223_372_036_825_200_000;

    /// <inheritdoc cref="InfinityTimestamp"/>
    private const long MinusInfinityTimestamp = -9_223_372_036_832_400_000;

    /// <summary>
    /// Date <c>infinity</c>/<c>-infinity</c> as epoch days: Debezium maps them to <c>PostgresValueConverter</c>'s
    /// <c>POSITIVE_INFINITY_LOCAL_DATE</c> (<c>-5877611-06-21</c> before debezium/dbz#2524, <c>+5877611-06-21</c>
    /// since) and <c>NEGATIVE_INFINITY_LOCAL_DATE</c> (<c>-5877611-06-22</c>), then to <c>LocalDate.toEpochDay()</c>.
    /// </summary>
    private static readonly long[] InfinityDays = [-2_147_472_693, 2_146_033_979];

    /// <inheritdoc cref="InfinityDays"/>
    private const long MinusInfinityDays = -2_147_472_692;

    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static string Date(long daysSinceEpoch)
    {
        if (Array.IndexOf(InfinityDays, daysSinceEpoch) >= 0)
        {
            return PositiveInfinity;
        }

        if (daysSinceEpoch == MinusInfinityDays)
        {
            return NegativeInfinity;
        }

        // DateOnly holds years 1 to 9999; PostgreSQL's dates reach 4713 BC and 5874897 AD. Outside that range the
        // value cannot be rendered faithfully here: a dead letter, never a wrong date or a run failure.
        var dayNumber = EpochDayNumber + daysSinceEpoch;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new DecodeException("malformed_temporal", $"Date {daysSinceEpoch} (days since 1970-01-01) is outside years 1-9999, which this source renders; BC and far-future dates are not supported.");
        }

        return DateOnly.FromDayNumber((int)dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A timestamp without time zone, given as a count of <paramref name="unitsPerSecond"/> since the epoch.</summary>
    public static string LocalTimestamp(long value, long unitsPerSecond)
    {
        // Nanosecond timestamps carry infinity as Long.MAX_VALUE/MIN_VALUE (debezium/dbz#2524).
        if (value == InfinityTimestamp || (unitsPerSecond == 1_000_000_000 && value == long.MaxValue))
        {
            return PositiveInfinity;
        }

        if (value == MinusInfinityTimestamp || (unitsPerSecond == 1_000_000_000 && value == long.MinValue))
        {
            return NegativeInfinity;
        }

        var ticks = ToTicks(value, unitsPerSecond);
        if (ticks < DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks || ticks > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks)
        {
            throw new DecodeException("malformed_temporal", $"Timestamp {value} (1/{unitsPerSecond} s since 1970-01-01) is outside years 1-9999, which this source renders.");
        }

        return FormatDateTime(DateTime.UnixEpoch.AddTicks(ticks), Fraction(value, unitsPerSecond), utc: false);
    }

    /// <summary>An ISO-8601 timestamp with an offset (Debezium's <c>ZonedTimestamp</c>), normalised to UTC.</summary>
    public static string ZonedTimestamp(string text)
    {
        // Debezium sends timestamptz infinity as these strings
        // (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-timestamp-type).
        if (text is PositiveInfinity or NegativeInfinity)
        {
            return text;
        }

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
        if (time < TimeSpan.Zero || time > TimeSpan.FromDays(1))
        {
            throw new DecodeException("malformed_temporal", $"Time of day {value} (1/{unitsPerSecond} s since midnight) is not between 00:00 and 24:00.");
        }

        var text = time.Days > 0 ? "24:00:00" : time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return text + FractionText(time.Ticks % TimeSpan.TicksPerSecond, Fraction(value, unitsPerSecond));
    }

    private static long ToTicks(long value, long unitsPerSecond)
    {
        try
        {
            return unitsPerSecond switch
            {
                1_000 => checked(value * TimeSpan.TicksPerMillisecond),
                1_000_000 => checked(value * TicksPerMicrosecond),
                1_000_000_000 => value / 100,
                _ => throw new ArgumentOutOfRangeException(nameof(unitsPerSecond)),
            };
        }
        catch (OverflowException ex)
        {
            throw new DecodeException("malformed_temporal", $"Temporal value {value} (1/{unitsPerSecond} s) is out of the representable range.", ex);
        }
    }

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
