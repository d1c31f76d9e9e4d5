using System.Net;
using System.Net.Sockets;

namespace CdcAspire.Testing.Net;

/// <summary>
/// A loopback TCP port nobody listens on right now, for a server a test starts in another process.
/// </summary>
/// <remarks>
/// Taken below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default): a port the OS hands out
/// with bind(0) comes from that range, which every outgoing connection (Npgsql, a Prometheus scrape, an HttpClient)
/// also draws from, so between picking it and the server binding it a client socket could take it ("address already
/// in use"). Ports here are only ever bound on purpose. Each test process walks its own stretch (seeded by its pid),
/// and a port that is busy is skipped.
/// </remarks>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Environment.ProcessId * 37 % Count;

    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count}.");
    }
}
