using System.Text;
using CdcAspire.Consistency.Checking;

namespace CdcAspire.Consistency.Tests;

public sealed class DocumentComparerTests
{
    private static List<string> Differing(string row, string document) =>
        [.. DocumentComparer.Differences(Encoding.UTF8.GetBytes(row), Encoding.UTF8.GetBytes(document)).Select(f => f.Field)];

    [Theory]
    [InlineData("""{"p":1.50}""", """{"p":1.5}""")]
    [InlineData("""{"p":150}""", """{"p":1.5e2}""")]
    [InlineData("""{"p":0.0}""", """{"p":-0}""")]
    [InlineData("""{"t":"2024-01-01T00:00:00Z"}""", """{"t":"2024-01-01T01:00:00.000+01:00"}""")]
    [InlineData("""{"s":"é🚀"}""", """{"s":"\u00e9\ud83d\ude80"}""")]
    [InlineData("""{"a":1,"b":{"x":[1,2],"y":null}}""", """{"b":{"y":null,"x":[1,2]},"a":1}""")]
    [InlineData("""{"a":null}""", """{}""")]
    public void ValuesEqualByMeaningAreNoDifference(string row, string document) => Assert.Empty(Differing(row, document));

    [Theory]
    [InlineData("""{"p":1.50}""", """{"p":1.51}""", "p")]
    [InlineData("""{"p":12345678901234567.01}""", """{"p":12345678901234567.02}""", "p")]
    [InlineData("""{"p":1}""", """{"p":"1"}""", "p")]
    [InlineData("""{"t":"2024-01-01T00:00:00Z"}""", """{"t":"2024-01-01T00:00:00.000001Z"}""", "t")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""", "a")]
    [InlineData("""{"s":"e\u0301"}""", """{"s":"é"}""", "s")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "b")]
    [InlineData("""{"j":{"x":1}}""", """{"j":{"x":1,"y":1}}""", "j")]
    public void ValuesThatDifferInMeaningAreReportedByField(string row, string document, string field) =>
        Assert.Equal([field], Differing(row, document));

    [Fact]
    public void BothValuesAreReportedAsTheirJsonText()
    {
        var difference = Assert.Single(DocumentComparer.Differences("""{"price":199.99,"name":"A"}"""u8.ToArray(), """{"price":1.00,"name":"A"}"""u8.ToArray()));
        Assert.Equal(("price", "199.99", "1.00"), (difference.Field, difference.RowValue, difference.DocumentValue));
    }
}
