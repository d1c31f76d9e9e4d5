using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CdcAspire.Testing.Net;

/// <summary>
/// A loopback TCP server that reads each request's head and answers every connection with the same raw bytes, then
/// closes it: for peers no real server library would imitate (a plain HTTP/1.1 server answering an HTTP/2 preface,
/// a body that breaks off after its headers).
/// </summary>
public sealed class CannedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public CannedHttpServer(string response)
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _serving = ServeAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
    }

    public string Url { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }

    private async Task ServeAsync(byte[] response, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[8192];
                // Up to the end of the request head (an HTTP/2 client's preface, PRI * HTTP/2.0, ends the same way).
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await stream.WriteAsync(response, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                client.Client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Stopped.
        }
    }
}
