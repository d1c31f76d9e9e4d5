using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Tests.Types;

public sealed class ArrayEncodingTests
{
    [Theory]
    [InlineData(1007u, "{1,2,NULL}", "[1,2,null]")]
    [InlineData(1007u, "{}", "[]")]
    [InlineData(1007u, "{{1,2},{3,4}}", "[[1,2],[3,4]]")]
    [InlineData(1007u, "[0:1]={1,2}", "[1,2]")]
    [InlineData(1007u, "[1:2][0:0]={{1},{2}}", "[[1],[2]]")]
    [InlineData(1000u, "{t,f}", "[true,false]")]
    [InlineData(1016u, "{9223372036854775807,-1}", "[9223372036854775807,-1]")]
    [InlineData(1231u, "{1.50,NaN}", "[1.50,\"NaN\"]")]
    [InlineData(1022u, "{1.5,Infinity}", "[1.5,\"Infinity\"]")]
    [InlineData(2951u, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"]")]
    [InlineData(1182u, "{2024-01-02}", "[\"2024-01-02\"]")]
    [InlineData(1185u, "{\"2026-11-22 00:00:35.426539+00\"}", "[\"2026-11-22T00:00:35.426539Z\"]")]
    [InlineData(1001u, "{\"\\\\x01\",\"\\\\xff\"}", "[\"AQ==\",\"/w==\"]")]
    [InlineData(1020u, "{(1,1),(0,0);(3,3),(2,2)}", "[\"(1,1),(0,0)\",\"(3,3),(2,2)\"]")]
    public void ArraysBecomeJsonArraysOfElementsEncodedByTheirType(uint oid, string text, string expected) =>
        Assert.Equal(expected, Pg.Json(oid, text));

    [Fact]
    public void TextArrayKeepsQuotedNullCommasBracesQuotesBackslashesAndUnicode()
    {
        // array['a','NULL',null,'b,c','{x}','q"u\o','',' sp ',E'new\nline','é😀']::text
        const string Text = "{a,\"NULL\",NULL,\"b,c\",\"{x}\",\"q\\\"u\\\\o\",\"\",\" sp \",\"new\nline\",é😀}";
        Assert.Equal(
            "[\"a\",\"NULL\",null,\"b,c\",\"{x}\",\"q\\\"u\\\\o\",\"\",\" sp \",\"new\\nline\",\"é😀\"]",
            Pg.Json(1009, Text));
    }

    [Fact]
    public void TwoDimensionalTextArrayWithNullsNests() =>
        Assert.Equal("[[\"a b\",\"c\"],[\"d\",null]]", Pg.Json(1009, "{{\"a b\",c},{d,NULL}}"));

    [Fact]
    public void JsonbArrayElementsAreEmbeddedAsJson() =>
        Assert.Equal("[{\"a\":1},[1,\"x\"]]", Pg.Json(3807, "{\"{\\\"a\\\": 1}\",\"[1, \\\"x\\\"]\"}"));

    [Fact]
    public void ArrayOfAUserEnumUsesStringsAndOfADomainUsesTheBaseRules()
    {
        var mood = new PgType(16385, "public.mood", 'E');
        var moods = new PgType(16384, "public._mood", 'A', Element: mood);
        var price = new PgType(16390, "public.price", 'N', BaseType: Pg.Type(1700));
        var prices = new PgType(16389, "public._price", 'A', Element: price);

        Assert.Equal("[\"happy\",null]", Pg.Json(moods, "{happy,NULL}"));
        Assert.Equal("[199.99,0.01]", Pg.Json(prices, "{199.99,0.01}"));
    }

    [Fact]
    public void ArrayOfCompositesKeepsEachRecordText() =>
        Assert.Equal(
            "[\"(1,\\\"a\\\"\\\"b\\\")\"]",
            Pg.Json(new PgType(16395, "public._pair", 'A', Element: new PgType(16396, "public.pair", 'C')), "{\"(1,\\\"a\\\"\\\"b\\\")\"}"));

    [Fact]
    public void ArraysAreWrittenInsideALargerDocument()
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream, PgJsonEncoder.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("tags");
            PgJsonEncoder.Write(writer, Pg.Type(1009), "{audio,wireless}");
            writer.WritePropertyName("price");
            PgJsonEncoder.Write(writer, Pg.Type(1700), "199.99");
            writer.WritePropertyName("gone");
            PgJsonEncoder.Write(writer, Pg.Type(25), (string?)null);
            writer.WriteEndObject();
        }

        Assert.Equal(
            "{\"tags\":[\"audio\",\"wireless\"],\"price\":199.99,\"gone\":null}",
            System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
