namespace CdcAspire.Pipeline.Tests.Types;

public sealed class NumberEncodingTests
{
    [Theory]
    [InlineData(16u, "t", "true")]
    [InlineData(16u, "f", "false")]
    [InlineData(21u, "32767", "32767")]
    [InlineData(23u, "-2147483648", "-2147483648")]
    [InlineData(20u, "9223372036854775807", "9223372036854775807")]
    [InlineData(26u, "4294967295", "4294967295")]
    public void BooleansAndIntegersBecomeJsonLiterals(uint oid, string text, string expected) =>
        Assert.Equal(expected, Pg.Json(oid, text));

    [Theory]
    [InlineData("199.99")]
    [InlineData("12345678901234567890.123456789")]
    [InlineData("0.00")]
    [InlineData("-0.5")]
    [InlineData("1.50")]
    [InlineData("1000000000000000000000000000000")]
    [InlineData("0.00000000000000000001")]
    public void NumericKeepsItsExactDigitsIncludingTrailingZeros(string text) =>
        Assert.Equal(text, Pg.Json(1700, text));

    [Theory]
    [InlineData(1700u, "NaN")]
    [InlineData(1700u, "Infinity")]
    [InlineData(1700u, "-Infinity")]
    [InlineData(701u, "NaN")]
    [InlineData(700u, "Infinity")]
    [InlineData(701u, "-Infinity")]
    public void ValuesJsonNumbersCannotHoldBecomeTheStringsPostgresPrints(uint oid, string text) =>
        Assert.Equal($"\"{text}\"", Pg.Json(oid, text));

    [Theory]
    [InlineData(701u, "0.1")]
    [InlineData(701u, "1e+20")]
    [InlineData(701u, "1e-05")]
    [InlineData(701u, "1.2345678901234568e+17")]
    [InlineData(701u, "0")]
    [InlineData(700u, "3.4028235e+38")]
    [InlineData(700u, "0.0015")]
    public void FloatsKeepTheirShortestRoundTripText(uint oid, string text) =>
        Assert.Equal(text, Pg.Json(oid, text));

    [Theory]
    [InlineData(23u, "12a")]
    [InlineData(23u, "NaN")]
    [InlineData(1700u, "1,5")]
    [InlineData(1700u, ".5")]
    [InlineData(16u, "true")]
    public void TextThatPostgresWouldNeverPrintForTheTypeIsRefused(uint oid, string text) =>
        Assert.Throws<FormatException>(() => Pg.Json(oid, text));

    [Fact]
    public void SqlNullIsJsonNullForEveryType()
    {
        Assert.Equal("null", Pg.Json(23, null));
        Assert.Equal("null", Pg.Json(1009, null));
        Assert.Equal("null", Pg.Json(3802, null));
    }

    [Fact]
    public void ToColumnValueCarriesTheEncodedJsonAndJsonNullForSqlNull()
    {
        var price = Sources.Postgres.Types.PgJsonEncoder.ToColumnValue("price", Pg.Type(1700), "199.99");
        var missing = Sources.Postgres.Types.PgJsonEncoder.ToColumnValue("price", Pg.Type(1700), null);

        Assert.Equal("199.99", System.Text.Encoding.UTF8.GetString(price.Json.Span));
        Assert.Equal("null", System.Text.Encoding.UTF8.GetString(missing.Json.Span));
        Assert.False(price.Unchanged);
    }
}
