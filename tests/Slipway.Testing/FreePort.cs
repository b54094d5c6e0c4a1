using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>Free TCP ports on the loopback interface, chosen by the operating system (never a fixed number).</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago: bind port 0, read the port, release it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
