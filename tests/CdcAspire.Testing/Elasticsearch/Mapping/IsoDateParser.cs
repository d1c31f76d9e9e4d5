namespace CdcAspire.Testing.Elasticsearch.Mapping;

/// <summary>
/// Parses the ISO-8601 shapes of ES's built-in date formats (strict_date_optional_time and relatives):
/// yyyy[-MM[-dd['T'HH[:mm[:ss[.fraction]]]]]][Z|±HH[:mm]].
/// https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-date-format.html#built-in-date-formats
/// </summary>
internal static class IsoDateParser
{
    /// <param name="strict">strict_* formats require exactly two digits for month, day, hour, minute and second.</param>
    /// <param name="minimumParts">1 = year, 3 = date, 6 = date and time to the second.</param>
    public static bool TryParse(ReadOnlySpan<char> s, bool strict, int minimumParts, out long epochMillis)
    {
        epochMillis = 0;
        var pos = 0;
        int year, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var parts = 1;
        if (!Digits(s, ref pos, 4, 4, out year))
        {
            return false;
        }

        var width = strict ? 2 : 1;
        if (Next(s, pos, '-'))
        {
            pos++;
            if (!Digits(s, ref pos, width, 2, out month))
            {
                return false;
            }

            parts = 2;
            if (Next(s, pos, '-'))
            {
                pos++;
                if (!Digits(s, ref pos, width, 2, out day))
                {
                    return false;
                }

                parts = 3;
                if (Next(s, pos, 'T'))
                {
                    pos++;
                    if (!Digits(s, ref pos, width, 2, out hour))
                    {
                        return false;
                    }

                    parts = 4;
                    if (Next(s, pos, ':'))
                    {
                        pos++;
                        if (!Digits(s, ref pos, width, 2, out minute))
                        {
                            return false;
                        }

                        parts = 5;
                        if (Next(s, pos, ':'))
                        {
                            pos++;
                            if (!Digits(s, ref pos, width, 2, out second))
                            {
                                return false;
                            }

                            parts = 6;
                            if (pos < s.Length && (s[pos] == '.' || s[pos] == ','))
                            {
                                pos++;
                                var start = pos;
                                long fraction = 0;
                                while (pos < s.Length && char.IsAsciiDigit(s[pos]) && pos - start < 9)
                                {
                                    fraction = (fraction * 10) + (s[pos] - '0');
                                    pos++;
                                }

                                var digits = pos - start;
                                if (digits == 0)
                                {
                                    return false;
                                }

                                for (var i = digits; i < 9; i++)
                                {
                                    fraction *= 10;
                                }

                                fractionTicks = fraction / 100;
                            }
                        }
                    }
                }
            }
        }

        if (parts < minimumParts)
        {
            return false;
        }

        var offsetMinutes = 0;
        if (pos < s.Length)
        {
            if (s[pos] == 'Z')
            {
                pos++;
            }
            else if (s[pos] is '+' or '-' && parts >= 4)
            {
                var sign = s[pos] == '-' ? -1 : 1;
                pos++;
                if (!Digits(s, ref pos, 2, 2, out var offsetHours))
                {
                    return false;
                }

                var offsetMins = 0;
                if (Next(s, pos, ':'))
                {
                    pos++;
                }

                if (pos < s.Length && !Digits(s, ref pos, 2, 2, out offsetMins))
                {
                    return false;
                }

                offsetMinutes = sign * ((offsetHours * 60) + offsetMins);
            }
        }

        if (pos != s.Length || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59
            || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks
            - (offsetMinutes * TimeSpan.TicksPerMinute);
        epochMillis = (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        return true;
    }

    private static bool Next(ReadOnlySpan<char> s, int pos, char c) => pos < s.Length && s[pos] == c;

    private static bool Digits(ReadOnlySpan<char> s, ref int pos, int min, int max, out int value)
    {
        value = 0;
        var start = pos;
        while (pos < s.Length && pos - start < max && char.IsAsciiDigit(s[pos]))
        {
            value = (value * 10) + (s[pos] - '0');
            pos++;
        }

        return pos - start >= min;
    }
}
