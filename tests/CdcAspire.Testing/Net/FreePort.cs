using System.Net;
using System.Net.Sockets;

namespace CdcAspire.Testing.Net;

/// <summary>A loopback TCP port nobody listens on right now (the OS picks it; a tiny race with other processes remains).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
