using System.Net;
using Forwarder.Configuration;

namespace Forwarder.Metrics;

/// <summary>
/// One configured backend of a VIP at an instant: its configured weight, whether it is up (not marked
/// down by health checking) and what was forwarded to it since the start.
/// </summary>
public sealed record BackendReading(IPAddress Address, ushort? Port, uint Weight, bool Up, long Packets, long Bytes)
{
    public BackendId Id => new(Address, Port);
}
