using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// What Katran hashes for a flow of a VIP, written from <c>balancer.bpf.c</c> step by step, apart from the product's
/// <see cref="Forwarder.Hashing.FlowHashOptions"/>: a VIP found on port 0 hashes destination port 0 unless it has
/// <c>F_HASH_DPORT_ONLY</c> or <c>F_HASH_SRC_DST_PORT</c>; <c>F_HASH_NO_SRC_PORT</c> zeroes the source port; then
/// <c>F_HASH_DPORT_ONLY</c> copies the destination port over the source port and zeroes the 16 source address bytes.
/// The hash itself is <see cref="ReferenceFlowHash"/>'s.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ReferenceVipHash
{
    // balancer_consts.h
    public const int HashNoSrcPort = 1 << 0;
    public const int HashDportOnly = 1 << 3;
    public const int HashSrcDstPort = 1 << 7;

    /// <summary>Katran's flag bits for a VIP's configured flags.</summary>
    public static int KatranFlags(VipFlags flags) =>
        ((flags & VipFlags.NoSourcePort) != 0 ? HashNoSrcPort : 0)
        | ((flags & VipFlags.DestinationPortOnly) != 0 ? HashDportOnly : 0)
        | ((flags & VipFlags.SourceAndDestinationPort) != 0 ? HashSrcDstPort : 0);

    /// <summary>The hash of client:clientPort → vipPort under <paramref name="katranFlags"/>; <paramref name="anyPortVip"/> = the VIP was found on port 0.</summary>
    public static uint Of(byte[] client, ushort clientPort, ushort vipPort, int ringSize, bool anyPortVip, int katranFlags)
    {
        byte[] source = (byte[])client.Clone();
        ushort sport = clientPort, dport = vipPort;
        if (anyPortVip && (katranFlags & (HashDportOnly | HashSrcDstPort)) == 0)
            dport = 0;
        if ((katranFlags & HashNoSrcPort) != 0)
            sport = 0;
        if ((katranFlags & HashDportOnly) != 0)
        {
            sport = dport;
            Array.Clear(source);
        }
        return ReferenceFlowHash.Of(source, sport, dport, ringSize);
    }

    /// <summary>The hash of a flow to <paramref name="vip"/>, by its port and flags, with its ring size.</summary>
    public static uint Of(VipConfig vip, byte[] client, ushort clientPort, ushort vipPort) =>
        Of(client, clientPort, vipPort, vip.Maglev.RingSize, vip.Port == 0, KatranFlags(vip.Flags));

    /// <summary>The ring slot Katran looks up for a flow to <paramref name="vip"/>.</summary>
    public static int Slot(VipConfig vip, byte[] client, ushort clientPort, ushort vipPort) =>
        (int)(Of(vip, client, clientPort, vipPort) % (uint)vip.Maglev.RingSize);
}
