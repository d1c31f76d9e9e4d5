using System.Text;

namespace CdcAspire.Pipeline.Tests.Types;

public sealed class TextEncodingTests
{
    [Theory]
    [InlineData(25u, "plain")]
    [InlineData(1043u, "")]
    [InlineData(1042u, "ab   ")]
    [InlineData(19u, "nm")]
    [InlineData(18u, "x")]
    [InlineData(2950u, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")]
    [InlineData(869u, "192.168.0.1/24")]
    [InlineData(650u, "10.0.0.0/8")]
    [InlineData(829u, "08:00:2b:01:02:03")]
    [InlineData(1560u, "101")]
    [InlineData(1562u, "1101")]
    [InlineData(790u, "$12.34")]
    [InlineData(142u, "<a>x</a>")]
    [InlineData(600u, "(1,2)")]
    [InlineData(603u, "(1,1),(0,0)")]
    [InlineData(3614u, "'a' 'cat' 'fat'")]
    [InlineData(3904u, "[1,5)")]
    public void TextLikeAndUnmappedTypesBecomeTheStringPostgresPrinted(uint oid, string text) =>
        Assert.Equal($"\"{text}\"", Pg.Json(oid, text));

    [Fact]
    public void QuotesBackslashesAndControlCharactersAreEscapedAsJsonRequires() =>
        Assert.Equal(
            "\"say \\\"hi\\\" C:\\\\dir\\nnext\\r\\tend\\u0001\\b\\f\"",
            Pg.Json(25, "say \"hi\" C:\\dir\nnext\r\tend\u0001\b\f"));

    [Fact]
    public void NonAsciiAndEmojiAreWrittenAsUtf8NotEscaped()
    {
        var text = "é ü 中文 😀 \u2028 <script>&'";
        var json = Pg.Json(25, text);
        Assert.Equal("\"" + text + "\"", json);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }

    [Fact]
    public void LongTextIsEscapedThroughAPooledBuffer()
    {
        var text = string.Concat(Enumerable.Repeat("\"ä😀\n", 10_000));
        var json = Pg.Json(25, text);
        using var doc = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(text, doc.RootElement.GetString());
    }

    [Fact]
    public void UnknownTypesAreStringsBecauseThatIsNeverLossy() =>
        Assert.Equal("\"(1,\\\"x y\\\")\"", Pg.Json(Sources.Postgres.Types.PgType.Unknown(16396), "(1,\"x y\")"));
}
