using System.Runtime.InteropServices;

namespace Forwarder.Steering;

/// <summary>
/// The hashes bpf/redirect.c computes over a key (<c>addr_hash</c>, the filter bit, <c>slot_hash</c>), computed the
/// same way here so that user space places every key where the program looks for it. Both sides read the key's
/// bytes as little-endian words (x86 and the BPF target on it).
/// </summary>
public static class SteeringHash
{
    /// <summary>MIX_ADDR0 and MIX_ADDR1 in redirect.c.</summary>
    private const ulong MixAddress0 = 0x9E3779B97F4A7C15UL, MixAddress1 = 0xC2B2AE3D27D4EB4FUL;


    /// <summary>Bits of each address bitmap (<c>FILTER_WORDS</c> × 64).</summary>
    public const int FilterBits = 1 << 16;

    /// <summary>The key's last 4 bytes as one word: port (as stored) | protocol &lt;&lt; 16 | family &lt;&lt; 24; 0 only for an empty slot.</summary>
    public static uint Tail(in VipMapKey key) => (uint)key.PortBigEndian | (uint)key.Protocol << 16 | (uint)key.Family << 24;

    /// <summary>The address's share of both hashes (<c>addr_hash</c>): both words folded into one (an IPv4 address is itself).</summary>
    public static ulong Address(in VipMapKey key)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<VipMapKey, ulong>(MemoryMarshal.CreateReadOnlySpan(in key, 1))[..2];
        ulong x = words[0] ^ unchecked(words[1] * MixAddress1);
        return x ^ x >> 32;
    }

    /// <summary>The key's bit in an address bitmap: the top 16 bits of the address hash times MIX_ADDR0.</summary>
    public static int FilterBit(ulong addressHash) => (int)(unchecked(addressHash * MixAddress0) >> 48);

    /// <summary>Where the key's probe starts before the table's mask (<c>slot_hash</c>).</summary>
    public static uint Slot(ulong addressHash, uint tail, ulong seed) => (uint)(unchecked((addressHash ^ tail ^ seed) * MixAddress0) >> 32);

    /// <summary>The seed of a table's <paramref name="attempt"/>-th layout: fixed, so that one key set always gives one layout.</summary>
    public static ulong Seed(int attempt)
    {
        // splitmix64 of the attempt number
        ulong z = unchecked((ulong)(attempt + 1) * MixAddress0);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
