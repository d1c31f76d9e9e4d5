namespace CdcAspire.Pipeline.Tests.Types;

public sealed class DateTimeEncodingTests
{
    private const uint TimestampTz = 1184;
    private const uint Timestamp = 1114;
    private const uint Date = 1082;

    [Theory]
    [InlineData("2024-01-02 03:04:05.123456+00", "2024-01-02T03:04:05.123456Z")]
    [InlineData("2024-01-02 03:04:05+00", "2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02 01:04:05.1+00", "2024-01-02T01:04:05.1Z")]
    [InlineData("2024-01-02 03:04:05+00:00", "2024-01-02T03:04:05Z")]
    [InlineData("0900-01-01 00:00:00+00", "0900-01-01T00:00:00Z")]
    [InlineData("0044-03-15 12:00:00+00 BC", "-0043-03-15T12:00:00Z")]
    [InlineData("0001-01-01 00:00:00+00 BC", "0000-01-01T00:00:00Z")]
    [InlineData("12345-01-01 00:00:00+00", "+12345-01-01T00:00:00Z")]
    [InlineData("infinity", "infinity")]
    [InlineData("-infinity", "-infinity")]
    public void TimestampTzBecomesIsoUtc(string text, string expected) =>
        Assert.Equal($"\"{expected}\"", Pg.Json(TimestampTz, text));

    [Theory]
    [InlineData("2024-01-02 03:04:05+05:30", "2024-01-02T03:04:05+05:30")]
    [InlineData("2024-01-02 03:04:05-03", "2024-01-02T03:04:05-03:00")]
    public void TimestampTzFromASessionOutsideUtcKeepsItsOffset(string text, string expected) =>
        Assert.Equal($"\"{expected}\"", Pg.Json(TimestampTz, text));

    [Theory]
    [InlineData("2024-01-02 03:04:05.123456", "2024-01-02T03:04:05.123456")]
    [InlineData("0044-03-15 12:00:00 BC", "-0043-03-15T12:00:00")]
    [InlineData("infinity", "infinity")]
    public void TimestampBecomesIsoWithoutZone(string text, string expected) =>
        Assert.Equal($"\"{expected}\"", Pg.Json(Timestamp, text));

    [Theory]
    [InlineData("2024-01-02", "2024-01-02")]
    [InlineData("0044-03-15 BC", "-0043-03-15")]
    [InlineData("0001-01-01 BC", "0000-01-01")]
    [InlineData("-infinity", "-infinity")]
    public void DateBecomesIsoCalendarDate(string text, string expected) =>
        Assert.Equal($"\"{expected}\"", Pg.Json(Date, text));

    [Theory]
    [InlineData(1083u, "03:04:05.123")]
    [InlineData(1266u, "03:04:05+05:30")]
    [InlineData(1186u, "P1DT2H")]
    [InlineData(1186u, "P1Y2M3DT4H5M6.789S")]
    [InlineData(1186u, "P-1D")]
    [InlineData(1186u, "PT0S")]
    public void TimeTimeTzAndIntervalStayTheStringsPostgresPrints(uint oid, string text) =>
        Assert.Equal($"\"{text}\"", Pg.Json(oid, text));

    [Theory]
    [InlineData(TimestampTz, "01/02/2024 03:04:05 UTC")]
    [InlineData(TimestampTz, "Tue Jan 02 03:04:05 2024 UTC")]
    [InlineData(TimestampTz, "2024-01-02 03:04:05")]
    [InlineData(Date, "01/02/2024")]
    [InlineData(Timestamp, "2024-01-02 03:04:05.1234567890123456789012345678901234567890123456789012345678901234567890")]
    public void NonIsoDateStyleIsRefusedNamingTheSetting(uint oid, string text)
    {
        var ex = Assert.Throws<FormatException>(() => Pg.Json(oid, text));
        Assert.Contains("DateStyle=ISO", ex.Message, StringComparison.Ordinal);
    }
}
