using System.Net;
using CdcAspire.Pipeline.Elasticsearch;
using Elastic.Clients.Elasticsearch;

namespace CdcAspire.Pipeline.Tests.Elasticsearch;

/// <summary>
/// The 9.x client's compatible-with=9 headers are refused by Elasticsearch 8.x; the client built by
/// SearchClusterClientFactory sends plain JSON on every call instead, typed or bulk.
/// </summary>
public sealed class RestCompatibilityHandlerTests
{
    [Fact]
    public async Task TypedCallsOfTheFactoryClientSendPlainJsonNotTheVendorCompatibilityType()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new HeaderCapture();
        var client = new ElasticsearchClient(SearchClusterClientFactory.CreateSettings(
            ElasticsearchEndpoint.Parse(listener.Uri.ToString()), TimeSpan.FromSeconds(10), httpCompression: false));

        await client.Indices.PutAliasAsync("things", "things-alias", cancellationToken: ct);

        var (accept, contentType) = listener.Last ?? throw new InvalidOperationException("no request arrived");
        Assert.Equal("application/json", accept);
        Assert.Equal("application/json", contentType);
    }

    [Fact]
    public async Task AServerThatIsNotElasticsearchFailsTheProductCheckWithAPermanentErrorNamingTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new HeaderCapture(productHeader: false);
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse(listener.Uri.ToString()), TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => client.GetVersionAsync(ct));

        Assert.False(ex.IsTransient);
        Assert.Contains("ConnectionStrings:elasticsearch", ex.Message, StringComparison.Ordinal);
        Assert.Null(client.Availability.UnavailableSince);
    }

    /// <summary>A loopback listener that records the Accept and Content-Type of each request and answers as Elasticsearch.</summary>
    private sealed class HeaderCapture : IDisposable
    {
        private readonly HttpListener _listener = new();

        private readonly bool _productHeader;

        public HeaderCapture(bool productHeader = true)
        {
            _productHeader = productHeader;
            var port = System.Net.Sockets.TcpListener.Create(0) is var probe ? Probe(probe) : 0;
            Uri = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Uri.ToString());
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public Uri Uri { get; }

        public (string? Accept, string? ContentType)? Last { get; private set; }

        public void Dispose() => _listener.Close();

        private static int Probe(System.Net.Sockets.TcpListener probe)
        {
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Last = (context.Request.Headers["Accept"], context.Request.ContentType);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                if (_productHeader)
                {
                    context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
                }

                var body = """{"acknowledged":true}"""u8.ToArray();
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
