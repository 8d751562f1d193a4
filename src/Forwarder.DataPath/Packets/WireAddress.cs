using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forwarder.Packets;

/// <summary>
/// An IP address as its 16 wire bytes, held in two 8-byte words copied from the packet as they are
/// (so the struct's memory is the wire bytes on any host). An IPv4 address fills the first 4 bytes,
/// the rest is zero — the layout of redirect.c's <c>vip_key</c>. Equality is bytewise.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct WireAddress : IEquatable<WireAddress>
{
    /// <summary>Bytes 0–7 as they are in memory.</summary>
    public readonly ulong Upper;

    /// <summary>Bytes 8–15 as they are in memory.</summary>
    public readonly ulong Lower;

    private WireAddress(ulong upper, ulong lower)
    {
        Upper = upper;
        Lower = lower;
    }

    /// <summary>
    /// The IPv4 address: the first 4 bytes loaded as they are in memory, i.e. network byte order as read
    /// from the wire (10.0.0.1 is 0x0100000A on a little-endian host) — the load Katran's flow hash uses.
    /// </summary>
    public uint V4
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BitConverter.IsLittleEndian ? (uint)Upper : (uint)(Upper >> 32); // a value, not the field's address: the struct can stay in registers
    }

    /// <summary>The 16 bytes; for IPv4 the address is the first 4.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in Upper), 2));
    }

    /// <summary>The IPv4 address at <paramref name="source"/> (4 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe WireAddress ReadV4(byte* source) => new(Unsafe.ReadUnaligned<uint>(source), 0);

    /// <summary>The IPv6 address at <paramref name="source"/> (16 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe WireAddress ReadV6(byte* source) =>
        new(Unsafe.ReadUnaligned<ulong>(source), Unsafe.ReadUnaligned<ulong>(source + 8));

    /// <summary>From 4 (IPv4) or 16 (IPv6) address bytes in wire order.</summary>
    public static unsafe WireAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            return bytes.Length switch
            {
                4 => ReadV4(p),
                16 => ReadV6(p),
                _ => throw new ArgumentException("an IP address is 4 or 16 bytes", nameof(bytes)),
            };
        }
    }

    public static WireAddress FromIPAddress(IPAddress address) => FromBytes(address.GetAddressBytes());

    /// <summary>The address of the given version (allocates; not for the data path).</summary>
    public IPAddress ToIPAddress(IpVersion version) =>
        version == IpVersion.V4 ? new IPAddress(Bytes[..4]) : new IPAddress(Bytes);

    public bool Equals(WireAddress other) => Upper == other.Upper && Lower == other.Lower;

    public override bool Equals(object? obj) => obj is WireAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Upper, Lower);

    public static bool operator ==(WireAddress left, WireAddress right) => left.Equals(right);

    public static bool operator !=(WireAddress left, WireAddress right) => !left.Equals(right);

    /// <summary>IPv4 when the last 12 bytes are zero, IPv6 otherwise (for diagnostics only: "::a.b.c.d" prints as IPv4).</summary>
    public override string ToString() =>
        ToIPAddress(Bytes[4..].IndexOfAnyExcept((byte)0) < 0 ? IpVersion.V4 : IpVersion.V6).ToString();
}
