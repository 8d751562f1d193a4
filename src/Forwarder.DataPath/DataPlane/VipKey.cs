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

    /// <summary>A well-spread 32-bit hash of the key (a multiply-xorshift over its three words).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Mix()
    {
        ulong h = Address.Upper * 0x9E3779B97F4A7C15UL;
        h ^= (Address.Lower + Meta) * 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 29;
        h *= 0x165667B19E3779F9UL;
        return (uint)(h >> 32);
    }
}
