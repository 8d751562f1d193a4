using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>
/// What is probed: a backend, the port its check names, and how. With <c>via: backend</c> the probe goes to
/// the backend's own address, so the service must listen there (e.g. on 0.0.0.0), not only on the VIP held
/// on a loopback. With <c>via: vip</c> it goes to <see cref="Vip"/> along <see cref="Route"/>, as clients'
/// packets do. Two VIPs sharing a backend and an identical check (and, via the VIP, the same VIP address)
/// share one target, probed once.
/// </summary>
public sealed record HealthTarget(IPAddress Backend, ushort Port, HealthCheckConfig Check)
{
    /// <summary>The VIP probed through (<c>via: vip</c>, not nat); null = the backend's own address.</summary>
    public IPAddress? Vip { get; init; }

    /// <summary>How the probe to <see cref="Vip"/> reaches this backend; null with <see cref="Vip"/>.</summary>
    public ProbeRoute? Route { get; init; }

    /// <summary>The address and port probed.</summary>
    public IPEndPoint EndPoint => new(Vip ?? Backend, Port);

    /// <summary>As operators read it: <c>10.0.0.1:80 http /healthz</c>, <c>[fc00::a]:443 tcp</c>.</summary>
    public override string ToString()
    {
        string address = Backend.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Backend}]" : Backend.ToString();
        string kind = ConfigNames.Of(ConfigNames.HealthCheckKinds, Check.Kind);
        string text = Check.Kind == HealthCheckKind.Http ? $"{address}:{Port} {kind} {Check.Path}" : $"{address}:{Port} {kind}";
        return Vip is null ? text : $"{text} via vip {Vip}";
    }
}
