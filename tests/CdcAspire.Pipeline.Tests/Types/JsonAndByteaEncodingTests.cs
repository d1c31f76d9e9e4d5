using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Tests.Types;

public sealed class JsonAndByteaEncodingTests
{
    private const uint Json = 114;
    private const uint Jsonb = 3802;

    [Fact]
    public void JsonbIsEmbeddedCompactWithNumbersAndUnicodeUntouched() =>
        Assert.Equal(
            "{\"a\":\"é\\\"x\",\"b\":[1,2.50,{\"c\":null}]}",
            Pg.Json(Jsonb, "{\"a\": \"é\\\"x\", \"b\": [1, 2.50, {\"c\": null}]}"));

    [Fact]
    public void JsonKeepsKeyOrderDuplicatesAndSpacesInsideStrings() =>
        Assert.Equal("{\"a\":1,\"a\":\"x  y\\n\"}", Pg.Json(Json, "{\"a\" :  1,\n \"a\": \"x  y\\n\"}"));

    [Theory]
    [InlineData("\"str\"")]
    [InlineData("12.30")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("true")]
    public void JsonScalarsAndEmptyContainersAreEmbeddedAsThemselves(string text) =>
        Assert.Equal(text, Pg.Json(Jsonb, text));

    [Fact]
    public void DeeplyNestedJsonbIsAccepted()
    {
        var text = new string('[', 200) + new string(']', 200);
        Assert.Equal(text, Pg.Json(Jsonb, text));
    }

    [Theory]
    [InlineData("{\"a\": }")]
    [InlineData("{\"a\": 1} x")]
    [InlineData("")]
    public void InvalidJsonFailsClearlyInsteadOfBreakingTheDocument(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Pg.Json(Jsonb, text));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\x0102ff", "AQL/")]
    [InlineData("\\x", "")]
    [InlineData("\\x00", "AA==")]
    public void ByteaHexBecomesBase64(string text, string expected) =>
        Assert.Equal($"\"{expected}\"", Pg.Json(17, text));

    [Theory]
    [InlineData("\\001\\002")]
    [InlineData("\\x0g")]
    [InlineData("\\x012")]
    public void ByteaNotInHexFormatIsRefused(string text) =>
        Assert.Throws<FormatException>(() => Pg.Json(17, text));

    [Fact]
    public void DomainsUseTheirBaseTypesRules()
    {
        var price = new PgType(16390, "public.price", 'N', BaseType: Pg.Type(1700));
        var pricelist = new PgType(16393, "public.pricelist", 'A', BaseType: Pg.Type(1231));
        var document = new PgType(16400, "public.document", 'U', BaseType: Pg.Type(Jsonb));

        Assert.Equal("199.99", Pg.Json(price, "199.99"));
        Assert.Equal("[1.5,null]", Pg.Json(pricelist, "{1.5,NULL}"));
        Assert.Equal("{\"k\":1}", Pg.Json(document, "{\"k\": 1}"));
    }
}
