using System.IO.Compression;
using System.Text;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Testing.Tests.Elasticsearch;

/// <summary>A second node over the same cluster, and compressed request bodies (as the official clients send them).</summary>
public sealed class NodesAndCompressionTests
{
    [Fact]
    public async Task ASecondNodeServesTheSameDocumentsAndKeepsServingWhenTheFirstDies()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var second = await first.StartNodeAsync(ct: ct);
        using var http = new HttpClient();
        using (var put = await http.PutAsync(new Uri(first.Uri, "things/_doc/1"), Json("""{"name":"one"}"""), ct))
        {
            Assert.Equal(201, (int)put.StatusCode);
        }

        Assert.NotEqual(first.Uri, second.Uri);
        Assert.Equal("""{"name":"one"}""", second.GetDocument("things", "1")?.Source);
        await first.DisposeAsync();

        using var get = await http.GetAsync(new Uri(second.Uri, "things/_doc/1"), ct);
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Equal(0, second.Counters.CompressedRequests);
    }

    [Fact]
    public async Task AGzipBodyIsDecompressedAndCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        using var http = new HttpClient();
        var ndjson = "{\"index\":{\"_index\":\"things\",\"_id\":\"7\"}}\n{\"name\":\"seven\"}\n";
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(ndjson), ct);
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync(new Uri(server.Uri, "_bulk"), content, ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"errors\":false", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal("""{"name":"seven"}""", server.GetDocument("things", "7")?.Source);
        Assert.Equal(1, server.Counters.CompressedRequests);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
