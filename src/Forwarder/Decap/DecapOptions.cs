using System.Net;
using AfXdp;

namespace Forwarder.Decap;

/// <summary>What `forwarder decap attach` puts on an interface.</summary>
public sealed record DecapOptions
{
    public const int DefaultGuePort = 6080;

    public required string Interface { get; init; }

    /// <summary>UDP destination port of GUE; 0 turns GUE decapsulation off.</summary>
    public int GuePort { get; init; } = DefaultGuePort;

    public XdpMode XdpMode { get; init; } = XdpMode.Native;

    /// <summary>Accepted outer destinations; empty means the interface's own addresses at attach time.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>Strip encapsulation whatever the outer destination (no address check).</summary>
    public bool AnyDestination { get; init; }

    public required string ObjectPath { get; init; }
}
