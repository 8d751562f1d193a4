using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>
/// What is probed: a backend's own address, the port its check names, and how. Probes never go to
/// the VIP, so the service must listen on the backend's address (e.g. on 0.0.0.0), not only on the VIP
/// held on a loopback. Two VIPs sharing a backend and an identical check share one target, probed once.
/// </summary>
public sealed record HealthTarget(IPAddress Backend, ushort Port, HealthCheckConfig Check)
{
    /// <summary>The address and port probed.</summary>
    public IPEndPoint EndPoint => new(Backend, Port);

    /// <summary>As operators read it: <c>10.0.0.1:80 http /healthz</c>, <c>[fc00::a]:443 tcp</c>.</summary>
    public override string ToString()
    {
        string address = Backend.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Backend}]" : Backend.ToString();
        string kind = ConfigNames.Of(ConfigNames.HealthCheckKinds, Check.Kind);
        return Check.Kind == HealthCheckKind.Http ? $"{address}:{Port} {kind} {Check.Path}" : $"{address}:{Port} {kind}";
    }
}
