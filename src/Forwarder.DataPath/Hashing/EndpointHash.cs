using System.Net;
using System.Net.Sockets;

namespace Forwarder.Hashing;

/// <summary>
/// The 64-bit hash of a backend's address that seeds its Maglev permutation: folly's
/// <c>IPAddress::hash()</c>, which Katran uses, so that both place a backend identically.
/// IPv4: <c>Hash128To64(AF_INET, fnv32(bytes))</c>. IPv6: SpookyHash V2 over the 16 bytes, combined as
/// <c>Hash128To64(AF_INET6, Hash128To64(h1, h2))</c>; IPv4-mapped IPv6 addresses hash as their IPv4 address.
/// </summary>
public static class EndpointHash
{
    /// <summary>Linux <c>AF_INET</c>: folly's seed for IPv4 hashes.</summary>
    private const ulong InetFamily = 2;

    /// <summary>Linux <c>AF_INET6</c>: folly's seed for IPv6 hashes.</summary>
    private const ulong Inet6Family = 10;

    private const uint FnvOffsetBasis = 2166136261;

    /// <summary>The hash of an IPv4 or IPv6 address.</summary>
    public static ulong Hash(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new ArgumentException($"Cannot read the bytes of {address}.", nameof(address));
        }
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => HashV4(bytes[..written]),
            AddressFamily.InterNetworkV6 => HashV6(bytes[..written]),
            _ => throw new ArgumentException($"Unsupported address family {address.AddressFamily}.", nameof(address)),
        };
    }

    /// <summary>The hash of an IPv4 address given as its 4 bytes in network order.</summary>
    public static ulong HashV4(ReadOnlySpan<byte> address)
    {
        if (address.Length != 4)
        {
            throw new ArgumentException("An IPv4 address has 4 bytes.", nameof(address));
        }
        return Hash128To64(InetFamily, Fnv32SignedBytes(address));
    }

    /// <summary>The hash of an IPv6 address given as its 16 bytes in network order.</summary>
    public static ulong HashV6(ReadOnlySpan<byte> address)
    {
        if (address.Length != 16)
        {
            throw new ArgumentException("An IPv6 address has 16 bytes.", nameof(address));
        }
        if (IsIPv4Mapped(address))
        {
            return HashV4(address[12..]);
        }
        var (hash1, hash2) = SpookyHashV2.Hash128(address, 0, 0);
        return Hash128To64(Inet6Family, Hash128To64(hash1, hash2));
    }

    /// <summary>folly's <c>hash_128_to_64(upper, lower)</c>, a Murmur-inspired 128-to-64-bit fold.</summary>
    public static ulong Hash128To64(ulong upper, ulong lower)
    {
        const ulong multiplier = 0x9ddfea08eb382d69;
        ulong a = (lower ^ upper) * multiplier;
        a ^= a >> 47;
        ulong b = (upper ^ a) * multiplier;
        b ^= b >> 47;
        b *= multiplier;
        return b;
    }

    /// <summary>
    /// folly's <c>fnv32_buf</c>: an FNV-1 variant whose multiply is spelled as shifts, and which xors
    /// each byte in as a <em>signed</em> char, so bytes of 0x80 and above flip the upper 24 bits too.
    /// </summary>
    public static uint Fnv32SignedBytes(ReadOnlySpan<byte> bytes)
    {
        uint hash = FnvOffsetBasis;
        foreach (byte b in bytes)
        {
            hash += (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24);
            hash ^= (uint)(sbyte)b;
        }
        return hash;
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> address) =>
        !address[..10].ContainsAnyExcept((byte)0) && address[10] == 0xff && address[11] == 0xff;
}
