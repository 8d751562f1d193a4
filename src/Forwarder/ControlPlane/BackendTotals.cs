using System.Net;
using Forwarder.Configuration;

namespace Forwarder.ControlPlane;

/// <summary>One backend's forwarded packets and bytes, and (nat) its replies rewritten back to the VIP, summed over workers.</summary>
public sealed record BackendTotals(BackendId Backend, long Packets, long Bytes, long ReplyPackets = 0, long ReplyBytes = 0)
{
    public IPAddress Address => Backend.Address;
}
