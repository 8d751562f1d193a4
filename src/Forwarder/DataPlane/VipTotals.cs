using System.Net;
using Forwarder.Configuration;

namespace Forwarder.DataPlane;

/// <summary>A VIP's forwarded packets and bytes, summed over workers, with its backends'.</summary>
public sealed record VipTotals(VipConfig Vip, long Packets, long Bytes, IReadOnlyList<BackendTotals> Backends);

/// <summary>One backend's forwarded packets and bytes, and (nat) its replies rewritten back to the VIP, summed over workers.</summary>
public sealed record BackendTotals(BackendId Backend, long Packets, long Bytes, long ReplyPackets = 0, long ReplyBytes = 0)
{
    public IPAddress Address => Backend.Address;
}

/// <summary>The answers the forwarder gave itself, summed over workers.</summary>
public sealed record LoadBalancerEventTotals(long EchoReplies, long TooBigAnswered, long NatReplies);
