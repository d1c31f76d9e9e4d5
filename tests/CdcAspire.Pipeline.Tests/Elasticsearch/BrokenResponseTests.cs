using CdcAspire.Pipeline.Elasticsearch;
using CdcAspire.Testing.Net;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>
/// Responses are streamed into pooled buffers, so a body that breaks off after the headers is ours to report: a
/// transient error naming what happened (the writer retries it), not a raw IOException or a half-read page.
/// </summary>
public sealed class BrokenResponseTests
{
    [Fact]
    public async Task ABodyThatBreaksOffAfterTheHeadersIsATransientErrorThatSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        // Headers promising 100,000 bytes, 20 of them, then the connection closes.
        await using var server = new CannedHttpServer(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Elastic-Product: Elasticsearch\r\nContent-Length: 100000\r\n\r\n{\"hits\":{\"hits\":[{\"_");
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(server.Url), TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(
            () => client.SendJsonAsync(Elastic.Transport.HttpMethod.POST, "/_search", "{}", allowNotFound: false, ct));

        Assert.True(ex.IsTransient);
        Assert.Contains("broke off its answer to POST /_search", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(client.Availability.UnavailableSince);
    }
}
