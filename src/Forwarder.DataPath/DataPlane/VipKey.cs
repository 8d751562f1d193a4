using System.Numerics;
using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// What a packet is matched on: an address, a port (network order, 0 = any) and a protocol (0 = the
/// address itself), with the IP version so that an IPv4 address never equals the IPv6 address that
/// shares its first bytes.
/// </summary>
public readonly struct VipKey : IEquatable<VipKey>
{
    public readonly WireAddress Address;

    /// <summary>Port (network order) in the high 16 bits, protocol in bits 8–15, IP version in bits 0–7; never 0.</summary>
    public readonly uint Meta;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public VipKey(in WireAddress address, IpVersion version, byte protocol, ushort portNetworkOrder)
    {
        Address = address;
        Meta = ((uint)portNetworkOrder << 16) | ((uint)protocol << 8) | (uint)version;
    }

    /// <summary>The same address and protocol with port 0: the "any port" entry.</summary>
    public VipKey AnyPort => new(Address, Meta & 0xFFFF);

    private VipKey(in WireAddress address, uint meta)
    {
        Address = address;
        Meta = meta;
    }

    public bool Equals(VipKey other) => Address == other.Address && Meta == other.Meta;

    public override bool Equals(object? obj) => obj is VipKey other && Equals(other);

    public override int GetHashCode() => (int)Mix();

    /// <summary>
    /// A 32-bit hash of the key for the data path's per-packet lookup: the three words folded into one (the IPv6
    /// address's last 8 bytes, where hosts differ, turned into the low half beside the IPv4 address and the meta),
    /// then one multiply (Fibonacci hashing), taking the product's upper half, which every folded bit reaches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Mix()
    {
        ulong folded = Address.Upper ^ BitOperations.RotateLeft(Address.Lower, 32) ^ Meta;
        return (uint)((folded * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
