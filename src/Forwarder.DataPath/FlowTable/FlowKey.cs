using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// A connection as the client sends it: client address, VIP address, the ports word [client port,
/// VIP port] as loaded from the wire (<see cref="ParsedPacket.PortsWord"/>), protocol and IP version.
/// The VIP is named by its address, port and protocol, not by its index in a snapshot, so an entry
/// keyed by it stays meaningful across configuration changes that renumber VIPs.
///
/// The constructor also computes <see cref="Hash"/>, a 64-bit mix of every field, once per packet:
/// <see cref="ConnectionTable"/> takes its bucket from the high half and its tag from the low half.
/// The default value is not a connection (its version is <see cref="IpVersion.None"/>).
/// </summary>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    // Seeds of the mix: odd 64-bit constants with no structure in common (wyhash's).
    private const ulong Seed0 = 0xa0761d6478bd642fUL;
    private const ulong Seed1 = 0xe7037ed1a0b428dbUL;
    private const ulong Seed2 = 0x8ebc6af09c88c6e3UL;
    private const ulong Seed3 = 0x589965cc75374cc3UL;

    public readonly WireAddress Client;

    public readonly WireAddress Vip;

    /// <summary>Ports word in bits 0–31, protocol in bits 32–39, IP version in bits 40–47: the key's remaining fields in one word.</summary>
    internal readonly ulong Identity;

    /// <summary>A well-spread hash of the whole key (three 64×64→128-bit multiplies, folded).</summary>
    public readonly ulong Hash;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FlowKey(in WireAddress client, in WireAddress vip, uint portsWord, byte protocol, IpVersion version)
    {
        Client = client;
        Vip = vip;
        Identity = IdentityOf(portsWord, protocol, version);
        Hash = HashOf(client, vip, Identity);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong IdentityOf(uint portsWord, byte protocol, IpVersion version) =>
        portsWord | ((ulong)protocol << 32) | ((ulong)version << 40);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashOf(in WireAddress client, in WireAddress vip, ulong identity)
    {
        ulong clientMix = Fold(client.Upper ^ Seed0, client.Lower ^ Seed1);
        ulong vipMix = Fold(vip.Upper ^ Seed2, vip.Lower ^ Seed3);
        return Fold(clientMix ^ identity, vipMix ^ Seed1);
    }

    /// <summary>The key of a parsed client packet (a flow or an ICMP error about one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey FromPacket(in ParsedPacket packet) =>
        new(packet.Source, packet.Destination, packet.PortsWord, packet.Protocol, packet.Version);

    /// <summary>
    /// <see cref="FromPacket"/> stored straight into <paramref name="key"/>, field by field: a key built aside and
    /// then copied is read back 32 bytes at once from its two 16-byte address stores, which the CPU cannot
    /// forward from its store buffer, and the copy waits for the stores to retire (the batch's key pass did).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(ref FlowKey key, in ParsedPacket packet)
    {
        ulong identity = IdentityOf(packet.PortsWord, packet.Protocol, packet.Version);
        Unsafe.AsRef(in key.Client) = packet.Source;
        Unsafe.AsRef(in key.Vip) = packet.Destination;
        Unsafe.AsRef(in key.Identity) = identity;
        Unsafe.AsRef(in key.Hash) = HashOf(packet.Source, packet.Destination, identity);
    }

    /// <summary>[client port, VIP port] as loaded from the wire.</summary>
    public uint PortsWord => (uint)Identity;

    public byte Protocol => (byte)(Identity >> 32);

    public IpVersion Version => (IpVersion)(byte)(Identity >> 40);

    public bool Equals(FlowKey other) => Client == other.Client && Vip == other.Vip && Identity == other.Identity;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => (int)(Hash ^ (Hash >> 32));

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);

    /// <summary>"client:port → vip:port/protocol" (allocates; not for the data path).</summary>
    public override string ToString()
    {
        uint ports = PortsWord;
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in ports));
        int clientPort = (bytes[0] << 8) | bytes[1];
        int vipPort = (bytes[2] << 8) | bytes[3];
        return $"{Client.ToIPAddress(Version)}:{clientPort} → {Vip.ToIPAddress(Version)}:{vipPort}/{Protocol}";
    }

    /// <summary>The 128-bit product of two words, its halves xored: every input bit reaches every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }
}
