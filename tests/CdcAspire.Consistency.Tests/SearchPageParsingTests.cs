using System.Text;
using CdcAspire.Consistency.Documents;

namespace CdcAspire.Consistency.Tests;

/// <summary>The check reads search pages with a forward-only reader: each _source must be exactly the bytes stored.</summary>
public sealed class SearchPageParsingTests
{
    // The shape Elasticsearch answers a PIT search with (fields in its order; a hit's sort may come in any place).
    private const string Response = """
        {"pit_id":"p1==","took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":3,"relation":"eq"},"max_score":null,"hits":[
          {"_index":"products-v1","_id":"1","_score":null,"_source":{"name":"é🚀 \"q\"","price":1.50,"tags":["a","b"],"meta":{"x":[1,{"y":null}]}},"sort":[1,41]},
          {"_index":"products-v1","_id":"2","_score":null,"sort":[2,42],"_source":{}},
          {"_index":"products-v1","_id":"10","_score":null,"_source":{"n":-0.0e1},"sort":[10,"x\"y"]}
         ]}}
        """;

    [Fact]
    public void SourcesAreTheStoredBytesAndTheLastSortIsKept()
    {
        var bytes = Encoding.UTF8.GetBytes(Response);
        var page = DocumentReader.ParsePage(bytes, 10);

        Assert.Equal("p1==", page.PitId);
        Assert.Equal(["1", "2", "10"], page.Documents.Select(d => d.Id));
        Assert.Equal("""{"name":"é🚀 \"q\"","price":1.50,"tags":["a","b"],"meta":{"x":[1,{"y":null}]}}""", Encoding.UTF8.GetString(page.Documents[0].Source.Span));
        Assert.Equal("{}", Encoding.UTF8.GetString(page.Documents[1].Source.Span));
        Assert.Equal("""{"n":-0.0e1}""", Encoding.UTF8.GetString(page.Documents[2].Source.Span));
        Assert.Equal("""[10,"x\"y"]""", page.LastSort);
    }

    [Fact]
    public void AnEmptyPageHasNoSortToContinueFrom()
    {
        var page = DocumentReader.ParsePage(Encoding.UTF8.GetBytes("""{"pit_id":"p2","hits":{"hits":[]}}"""), 10);

        Assert.Empty(page.Documents);
        Assert.Null(page.LastSort);
        Assert.Equal("p2", page.PitId);
    }

    [Fact]
    public void AHitWithoutIdIsAnErrorNotASilentSkip() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
            DocumentReader.ParsePage(Encoding.UTF8.GetBytes("""{"hits":{"hits":[{"_source":{}}]}}"""), 10));
}
