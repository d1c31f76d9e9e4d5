using System.Net;
using System.Net.Sockets;
using System.Text;
using CdcAspire.Pipeline.Elasticsearch;

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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeAsync(listener, ct);
        var client = SearchClusterClientFactory.Create(ElasticsearchEndpoint.Parse($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(
            () => client.SendJsonAsync(Elastic.Transport.HttpMethod.POST, "/_search", "{}", allowNotFound: false, ct));

        Assert.True(ex.IsTransient);
        Assert.Contains("broke off its answer to POST /_search", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(client.Availability.UnavailableSince);
        listener.Stop();
        await serving;
    }

    /// <summary>Answers every request with headers promising 100,000 bytes, sends 20 of them and closes.</summary>
    private static async Task ServeAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using var socket = await listener.AcceptTcpClientAsync(ct);
                var stream = socket.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[8192];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, ct);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Elastic-Product: Elasticsearch\r\nContent-Length: 100000\r\n\r\n{\"hits\":{\"hits\":[{\"_"), ct);
                await stream.FlushAsync(ct);
                socket.Client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Stopped.
        }
    }
}
