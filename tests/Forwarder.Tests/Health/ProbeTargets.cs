using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

/// <summary>
/// Targets on 127.0.0.1 and ports in known states. The default timeout is generous so that a busy
/// machine does not turn an answer into a timeout; tests of the timeout give a short one.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ProbeTargets
{
    public static HealthTarget Tcp(ushort port, int timeoutMs = 2000) =>
        new(IPAddress.Loopback, port, new HealthCheckConfig { Port = port, Timeout = TimeSpan.FromMilliseconds(timeoutMs) });

    public static HealthTarget Http(ushort port, string path = "/healthz", int? expectStatus = null, int timeoutMs = 2000) =>
        new(IPAddress.Loopback, port, new HealthCheckConfig
        {
            Kind = HealthCheckKind.Http,
            Port = port,
            Path = path,
            ExpectStatus = expectStatus,
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
        });

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    public static ushort ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (ushort)((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
