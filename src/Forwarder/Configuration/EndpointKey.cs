using System.Net;

namespace Forwarder.Configuration;

/// <summary>
/// An address, port and protocol as a dictionary key while a configuration is checked. A class with its own equality
/// rather than a value tuple: a dictionary keyed by a value tuple is generic code no ReadyToRun image holds, which
/// every start (both images of the capability re-exec) would JIT-compile.
/// </summary>
/// <param name="Port">The port; -1 for none (a backend without a port of its own).</param>
/// <param name="Protocol">The protocol as a number; 0 where it does not matter.</param>
internal sealed class EndpointKey(IPAddress address, int port, int protocol) : IEquatable<EndpointKey>
{
    public IPAddress Address { get; } = address;

    public int Port { get; } = port;

    public int Protocol { get; } = protocol;

    public bool Equals(EndpointKey? other) => other is not null && Port == other.Port && Protocol == other.Protocol && Address.Equals(other.Address);

    public override bool Equals(object? obj) => Equals(obj as EndpointKey);

    public override int GetHashCode() => unchecked((Address.GetHashCode() * 31 + Port) * 31 + Protocol);
}
