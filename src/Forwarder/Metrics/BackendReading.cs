using System.Net;
using Forwarder.Configuration;

namespace Forwarder.Metrics;

/// <summary>
/// One configured backend of a VIP at an instant: its configured weight, whether it is up (not marked
/// down by health checking), what was forwarded to it since the start and, under nat, its replies rewritten back to the VIP.
/// </summary>
public sealed record BackendReading(IPAddress Address, ushort? Port, uint Weight, bool Up, long Packets, long Bytes, long ReplyPackets = 0, long ReplyBytes = 0)
{
    public BackendId Id => new(Address, Port);
}
