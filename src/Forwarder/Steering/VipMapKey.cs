using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Forwarder.Steering;

/// <summary>The key of redirect.c's <c>vips</c> map (<c>struct vip_key</c>): 20 bytes, no padding.</summary>
[StructLayout(LayoutKind.Sequential, Size = 20)]
public unsafe struct VipMapKey : IEquatable<VipMapKey>
{
    public fixed byte Address[16];
    /// <summary>Network byte order; 0 = any port.</summary>
    public ushort PortBigEndian;
    /// <summary>6 (TCP), 17 (UDP), or 0 for the address-level entry that steers fragments and ICMP.</summary>
    public byte Protocol;
    public byte Family;

    public static VipMapKey Create(IPAddress address, ushort port, ProtocolType protocol)
    {
        VipMapKey key = default;
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
            key.Address[i] = bytes[i];
        key.Family = address.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)6 : (byte)4;
        key.PortBigEndian = (ushort)IPAddress.HostToNetworkOrder((short)port);
        key.Protocol = (byte)protocol;
        return key;
    }

    /// <summary>The entry that steers fragments and ICMP for an address (protocol 0, port 0).</summary>
    public static VipMapKey ForAddress(IPAddress address) => Create(address, 0, 0);

    /// <summary>The key's 20 bytes, as a span over its own storage (GC-tracked).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private readonly ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref System.Runtime.CompilerServices.Unsafe.AsRef(in this), 1));

    public readonly bool Equals(VipMapKey other) => Bytes.SequenceEqual(other.Bytes);

    public override readonly bool Equals(object? obj) => obj is VipMapKey other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(VipMapKey left, VipMapKey right) => left.Equals(right);

    public static bool operator !=(VipMapKey left, VipMapKey right) => !left.Equals(right);
}
