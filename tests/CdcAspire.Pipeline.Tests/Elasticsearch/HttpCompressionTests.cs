using CdcAspire.Pipeline.Tests.Elasticsearch.Support;
using CdcAspire.Testing.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>Cdc:Writer:HttpCompression: off by default (throughput), gzip bodies when on.</summary>
public sealed class HttpCompressionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BulkBodiesAreGzippedOnlyWhenHttpCompressionIsOn(bool compression)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ElasticsearchTestServer.StartAsync(ct: ct);
        await using var pipeline = new PipelineUnderTest(server.Uri.ToString(), o => o.Writer.HttpCompression = compression);
        var last = pipeline.Source.Insert(0, 300);
        await pipeline.WaitUntilAsync(() => pipeline.Source.LastAcknowledged >= last, TimeSpan.FromSeconds(30), "rows acknowledged");

        Assert.Equal(300, server.GetDocuments("things").Count);
        Assert.True(server.Counters.BulkRequests > 0);
        if (compression)
        {
            Assert.True(server.Counters.CompressedRequests >= server.Counters.BulkRequests, $"{server.Counters.CompressedRequests} of {server.Counters.BulkRequests} compressed");
        }
        else
        {
            Assert.Equal(0, server.Counters.CompressedRequests);
        }
    }
}
