using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Forwarder.Hashing;

/// <summary>
/// Katran's flow hash (<c>get_packet_hash</c> in <c>balancer.bpf.c</c>): only the source address and
/// the two ports enter it, never the destination address or the protocol.
/// IPv4: <c>jhash_2words(src, ports, seed)</c>; IPv6: <c>jhash_2words(jhash(src, 16, 512), ports, seed)</c>.
/// The seed is Katran's <c>INIT_JHASH_SEED</c> = <c>MAX_VIPS × RING_SIZE</c> of its build: 512 × the ring
/// size (<see cref="SeedFor"/>), so a VIP with ring R decides like a Katran built with <c>RING_SIZE</c> R;
/// 33554944 for the default 65537. The IPv6 inner seed is 512 whatever the ring.
/// Addresses and ports are taken as little-endian loads of their wire bytes, as the BPF program
/// reads them on x86. Folding an IPv6 address to one word first lets both families share the
/// same final step, which <see cref="FlowHashBatch"/> vectorises.
/// </summary>
public static class FlowHash
{
    /// <summary>Katran's <c>MAX_VIPS</c>: the factor between a ring size and its flow hash seed.</summary>
    public const uint MaxVips = 512;

    /// <summary>The seed for the default ring of 65537 slots: Katran's <c>CH_RINGS_SIZE</c> = 512 VIPs × 65537.</summary>
    public const uint Seed = MaxVips * 65537;

    /// <summary>Katran's <c>INIT_JHASH_SEED_V6</c>: <c>MAX_VIPS</c> = 512, for every ring size.</summary>
    public const uint SeedV6 = MaxVips;

    /// <summary>Keeps the source-port half of a ports word (the destination port is hashed as 0).</summary>
    private const uint SourcePortMask = 0x0000_FFFF;

    /// <summary>Keeps the destination-port half of a ports word (the source port is hashed as 0).</summary>
    private const uint DestinationPortMask = 0xFFFF_0000;

    /// <summary>
    /// The flow hash seed of a VIP whose ring has <paramref name="ringSize"/> slots: 512 × ring size, in
    /// 32 bits as Katran's <c>jhash</c> takes it (rings past 8,388,607 slots wrap; Katran cannot build those).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SeedFor(int ringSize) => unchecked(MaxVips * (uint)ringSize);

    /// <summary>The hash of an IPv4 flow from its source word (<see cref="SourceWordV4"/>) and ports word, for the default ring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashV4(uint sourceWord, uint portsWord) => HashV4(sourceWord, portsWord, Seed);

    /// <summary>The hash of an IPv4 flow with the seed of its VIP's ring (<see cref="SeedFor"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashV4(uint sourceWord, uint portsWord, uint seed) => JenkinsHash.Hash2Words(sourceWord, portsWord, seed);

    /// <summary>The hash of an IPv6 flow from the 16 source address bytes and its ports word, for the default ring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashV6(ReadOnlySpan<byte> sourceAddress, uint portsWord) => HashV6(sourceAddress, portsWord, Seed);

    /// <summary>The hash of an IPv6 flow with the seed of its VIP's ring (<see cref="SeedFor"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashV6(ReadOnlySpan<byte> sourceAddress, uint portsWord, uint seed) =>
        JenkinsHash.Hash2Words(SourceWordV6(sourceAddress), portsWord, seed);

    /// <summary>The little-endian load of the 4 wire bytes of an IPv4 source address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SourceWordV4(ReadOnlySpan<byte> sourceAddress) => BinaryPrimitives.ReadUInt32LittleEndian(sourceAddress);

    /// <summary>
    /// <c>jhash(src, 16, 512)</c> over the 16 wire bytes of an IPv6 source address: the word that
    /// stands in for the address in the final step. Same result as <see cref="JenkinsHash.Hash"/>,
    /// unrolled for the fixed length (one 12-byte block, then a 4-byte tail).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SourceWordV6(ReadOnlySpan<byte> sourceAddress)
    {
        uint w0 = BinaryPrimitives.ReadUInt32LittleEndian(sourceAddress);
        uint w1 = BinaryPrimitives.ReadUInt32LittleEndian(sourceAddress[4..]);
        uint w2 = BinaryPrimitives.ReadUInt32LittleEndian(sourceAddress[8..]);
        uint w3 = BinaryPrimitives.ReadUInt32LittleEndian(sourceAddress[12..16]);
        uint a, b, c;
        a = b = c = JenkinsHash.InitialValue + 16 + SeedV6;
        a += w0;
        b += w1;
        c += w2;
        JenkinsHash.Mix(ref a, ref b, ref c);
        a += w3;
        JenkinsHash.Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>The ports word from the first 4 bytes of a TCP or UDP header (source port, destination port).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PortsWord(ReadOnlySpan<byte> transportHeader) => BinaryPrimitives.ReadUInt32LittleEndian(transportHeader);

    /// <summary>The ports word for port numbers in host order, e.g. <c>PortsWord(31337, 80)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PortsWord(ushort sourcePort, ushort destinationPort) =>
        BinaryPrimitives.ReverseEndianness(sourcePort) | (uint)BinaryPrimitives.ReverseEndianness(destinationPort) << 16;

    /// <summary>
    /// The ports word as <paramref name="options"/> hash it: zeroes the ports they leave out, and under
    /// <see cref="FlowHashOptions.DestinationPortOnly"/> copies the destination port over the source port
    /// (Katran's <c>port16[0] = port16[1]</c>). In the ports word the source port is the low 16 bits and
    /// the destination port the high 16 bits (wire order, loaded little-endian).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ApplyOptions(uint portsWord, FlowHashOptions options)
    {
        if ((options & FlowHashOptions.ZeroSourcePort) != 0)
        {
            portsWord &= DestinationPortMask;
        }
        if ((options & FlowHashOptions.ZeroDestinationPort) != 0)
        {
            portsWord &= SourcePortMask;
        }
        if ((options & FlowHashOptions.DestinationPortOnly) != 0)
        {
            uint destination = portsWord & DestinationPortMask;
            portsWord = destination | destination >> 16;
        }
        return portsWord;
    }

    /// <summary>
    /// The source word as <paramref name="options"/> hash it: unchanged, except under
    /// <see cref="FlowHashOptions.DestinationPortOnly"/>, where Katran zeroes the 16 source address bytes
    /// before hashing: 0 for IPv4, <see cref="ZeroSourceWordV6"/> (<c>jhash</c> of 16 zero bytes) for IPv6.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ApplyOptions(uint sourceWord, bool ipv6, FlowHashOptions options) =>
        (options & FlowHashOptions.DestinationPortOnly) == 0 ? sourceWord : ipv6 ? ZeroSourceWordV6 : 0;

    /// <summary><see cref="SourceWordV6"/> of the all-zero address: what an IPv6 flow hashes as its source under <see cref="FlowHashOptions.DestinationPortOnly"/>.</summary>
    public static readonly uint ZeroSourceWordV6 = SourceWordV6(new byte[16]);
}
