using System.Runtime.Versioning;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// Katran's flow hash written out a second time, apart from the product's hashing code, to predict
/// backends with: <c>get_packet_hash</c> in <c>balancer.bpf.c</c> over the kernel's <c>include/linux/jhash.h</c>
/// (<c>jhash</c> for the 16 bytes of an IPv6 address with seed 512, <c>jhash_2words</c> for the rest), one
/// flow at a time, with the seed of a Katran built for the VIP's ring: <c>INIT_JHASH_SEED</c> =
/// <c>MAX_VIPS</c> (512) × <c>RING_SIZE</c>. Words are little-endian loads of the wire bytes, as on x86.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ReferenceFlowHash
{
    private const uint JhashInitval = 0xdeadbeef;
    private const uint MaxVips = 512;

    /// <summary>The hash of client:clientPort → vipPort (ports as hashed: 0 where the VIP leaves one out) for a ring of <paramref name="ringSize"/> slots.</summary>
    public static uint Of(byte[] client, ushort clientPort, ushort vipPort, int ringSize)
    {
        uint seed = unchecked(MaxVips * (uint)ringSize);
        byte[] portBytes = [(byte)(clientPort >> 8), (byte)clientPort, (byte)(vipPort >> 8), (byte)vipPort];
        uint ports = Load(portBytes, 0);
        uint source = client.Length == 4 ? Load(client, 0) : Jhash16(client, MaxVips);
        return Jhash2Words(source, ports, seed);
    }

    /// <summary>The ring slot Katran looks up: hash % ring size.</summary>
    public static int Slot(byte[] client, ushort clientPort, ushort vipPort, int ringSize) =>
        (int)(Of(client, clientPort, vipPort, ringSize) % (uint)ringSize);

    private static uint Load(byte[] bytes, int at) =>
        bytes[at] | (uint)bytes[at + 1] << 8 | (uint)bytes[at + 2] << 16 | (uint)bytes[at + 3] << 24;

    private static uint Rol(uint word, int shift) => word << shift | word >> (32 - shift);

    /// <summary><c>jhash(key, 16, initval)</c>: one 12-byte block mixed, then the last 4 bytes as the tail (case 4..1) and the final mix.</summary>
    private static uint Jhash16(byte[] key, uint initval)
    {
        uint a, b, c;
        a = b = c = JhashInitval + 16 + initval;
        a += Load(key, 0);
        b += Load(key, 4);
        c += Load(key, 8);
        a -= c; a ^= Rol(c, 4); c += b;
        b -= a; b ^= Rol(a, 6); a += c;
        c -= b; c ^= Rol(b, 8); b += a;
        a -= c; a ^= Rol(c, 16); c += b;
        b -= a; b ^= Rol(a, 19); a += c;
        c -= b; c ^= Rol(b, 4); b += a;
        a += (uint)key[15] << 24;
        a += (uint)key[14] << 16;
        a += (uint)key[13] << 8;
        a += key[12];
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary><c>jhash_2words(a, b, initval)</c> = <c>__jhash_nwords(a, b, 0, initval + JHASH_INITVAL + (2 &lt;&lt; 2))</c>.</summary>
    private static uint Jhash2Words(uint first, uint second, uint initval)
    {
        uint start = initval + JhashInitval + (2 << 2);
        uint a = first + start, b = second + start, c = start;
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary><c>__jhash_final</c>.</summary>
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rol(b, 14);
        a ^= c; a -= Rol(c, 11);
        b ^= a; b -= Rol(a, 25);
        c ^= b; c -= Rol(b, 16);
        a ^= c; a -= Rol(c, 4);
        b ^= a; b -= Rol(a, 14);
        c ^= b; c -= Rol(b, 24);
    }
}
