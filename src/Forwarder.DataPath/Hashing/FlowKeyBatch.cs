using System.Runtime.CompilerServices;

namespace Forwarder.Hashing;

/// <summary>
/// The flow keys of one RX batch, struct-of-arrays, as the parser fills them: slot i belongs to the
/// batch's frame i. Each slot holds a source word (an IPv4 address as loaded from the wire, or the
/// 16-byte IPv6 address already folded by <see cref="FlowHash.SourceWordV6"/>) and a ports word with
/// the VIP's <see cref="FlowHashOptions"/> applied, and a seed, the VIP's (<see cref="FlowHash.SeedFor"/>
/// its ring size; the default ring's until the classifier sets it), so one vectorised pass hashes both
/// families and every ring size. Slots of frames that are not hashed may hold anything; their hashes are simply not read.
/// Allocated once per worker; nothing here allocates afterwards.
/// </summary>
public sealed class FlowKeyBatch
{
    /// <summary>The usual RX batch size.</summary>
    public const int DefaultCapacity = 64;

    public FlowKeyBatch(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        SourceWords = new uint[capacity];
        Ports = new uint[capacity];
        Seeds = new uint[capacity];
        Seeds.AsSpan().Fill(FlowHash.Seed);
        Hashes = new uint[capacity];
    }

    /// <summary>How many slots the batch has.</summary>
    public int Capacity => SourceWords.Length;

    /// <summary>How many slots, from 0, the next <see cref="ComputeHashes"/> covers.</summary>
    public int Count;

    public readonly uint[] SourceWords;
    public readonly uint[] Ports;

    /// <summary>Each slot's flow hash seed: 512 × its VIP's ring size, set where the VIP is known.</summary>
    public readonly uint[] Seeds;

    /// <summary>Written by <see cref="ComputeHashes"/>: the Katran flow hash of each slot.</summary>
    public readonly uint[] Hashes;

    /// <summary>Slot <paramref name="index"/> holds an IPv4 flow: 4 source address bytes and the first 4 transport header bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetV4(int index, ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> transportHeader, FlowHashOptions options)
    {
        SourceWords[index] = FlowHash.ApplyOptions(FlowHash.SourceWordV4(sourceAddress), ipv6: false, options);
        Ports[index] = FlowHash.ApplyOptions(FlowHash.PortsWord(transportHeader), options);
    }

    /// <summary>Slot <paramref name="index"/> holds an IPv6 flow: 16 source address bytes and the first 4 transport header bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetV6(int index, ReadOnlySpan<byte> sourceAddress, ReadOnlySpan<byte> transportHeader, FlowHashOptions options)
    {
        SourceWords[index] = FlowHash.ApplyOptions(FlowHash.SourceWordV6(sourceAddress), ipv6: true, options);
        Ports[index] = FlowHash.ApplyOptions(FlowHash.PortsWord(transportHeader), options);
    }

    /// <summary>Slot <paramref name="index"/> from words already loaded (see <see cref="FlowHash"/>); options are applied here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int index, uint sourceWord, bool ipv6, uint portsWord, FlowHashOptions options)
    {
        SourceWords[index] = FlowHash.ApplyOptions(sourceWord, ipv6, options);
        Ports[index] = FlowHash.ApplyOptions(portsWord, options);
    }

    /// <summary>Hashes slots [0, <see cref="Count"/>) into <see cref="Hashes"/>, vectorised.</summary>
    public void ComputeHashes() =>
        FlowHashBatch.Hash(SourceWords.AsSpan(0, Count), Ports.AsSpan(0, Count), Seeds.AsSpan(0, Count), Hashes);

    /// <summary>The hashes of slots [0, <see cref="Count"/>).</summary>
    public ReadOnlySpan<uint> ComputedHashes => Hashes.AsSpan(0, Count);
}
