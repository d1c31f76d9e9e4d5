using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Tests.Types;

public sealed class PgTextArrayParserTests
{
    [Fact]
    public void UnquotedNullIsNullButQuotedNullIsTheString()
    {
        var items = PgTextArrayParser.Parse("{NULL,\"NULL\",null}");
        Assert.Equal([null, "NULL", null], items);
    }

    [Fact]
    public void QuotedElementsUnescapeQuotesAndBackslashesAndKeepDelimitersAndBraces()
    {
        var items = PgTextArrayParser.Parse("{\"b,c\",\"{x}\",\"q\\\"u\\\\o\",\"\",\" sp \"}");
        Assert.Equal(["b,c", "{x}", "q\"u\\o", "", " sp "], items);
    }

    [Fact]
    public void MultiDimensionalArraysNest()
    {
        var items = PgTextArrayParser.Parse("{{1,2},{3,4}}");
        Assert.Equal(2, items.Count);
        Assert.Equal(["1", "2"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(items[0]));
        Assert.Equal(["3", "4"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(items[1]));
    }

    [Fact]
    public void BoundsDecorationIsSkipped() =>
        Assert.Equal(["1", "2"], PgTextArrayParser.Parse("[0:1]={1,2}"));

    [Fact]
    public void EmptyArrayHasNoElements() => Assert.Empty(PgTextArrayParser.Parse("{}"));

    [Fact]
    public void TheElementTypesDelimiterSeparatesElements() =>
        Assert.Equal(["(1,1),(0,0)", "(3,3),(2,2)"], PgTextArrayParser.Parse("{(1,1),(0,0);(3,3),(2,2)}", ';'));

    [Fact]
    public void WhitespaceAroundElementsIsIgnoredAsArrayInDoes() =>
        Assert.Equal(["a b", "c"], PgTextArrayParser.Parse(" { a b , \"c\" } "));

    [Theory]
    [InlineData("1,2")]
    [InlineData("{1,2")]
    [InlineData("{\"a}")]
    [InlineData("{1,,2}")]
    [InlineData("{1}x")]
    [InlineData("{a\"b\"}")]
    [InlineData("[0:1]{1,2}")]
    public void MalformedLiteralsAreRefused(string text) =>
        Assert.Throws<FormatException>(() => PgTextArrayParser.Parse(text));
}
