using System.Runtime.InteropServices;
using AfXdp.Rings;
using Forwarder.DataPlane;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// The cheapest possible kernel side of one queue, for timing the worker alone: receiving moves frame
/// addresses from FILL to RX (the frames keep the packet written at start), transmitting moves TX
/// descriptors to COMPLETION. No checks: the unit tests check; this only has to be fast and allocation-free.
/// </summary>
public sealed unsafe class LoopbackQueue : IDisposable
{
    private const uint RingSize = 2048;
    private readonly NativeRing<ulong> _fill = new(RingSize, producerSide: true);
    private readonly NativeRing<ulong> _completion = new(RingSize, producerSide: false);
    private readonly NativeRing<XdpDesc> _rx = new(RingSize, producerSide: false);
    private readonly NativeRing<XdpDesc> _tx = new(RingSize, producerSide: true);
    private readonly byte* _area;

    public LoopbackQueue(uint frameCount, uint frameSize, ReadOnlySpan<byte> packet, uint headroom = 256)
    {
        _area = (byte*)NativeMemory.AlignedAlloc((nuint)frameCount * frameSize, 4096);
        for (uint f = 0; f < frameCount; f++)
            packet.CopyTo(new Span<byte>(_area + (ulong)f * frameSize + headroom, packet.Length));
        PacketLength = (uint)packet.Length;
        Headroom = headroom;
        Rings = new QueueRings(new ProducerRing<ulong>(_fill.Ring), new ConsumerRing<ulong>(_completion.Ring),
            new ConsumerRing<XdpDesc>(_rx.Ring), new ProducerRing<XdpDesc>(_tx.Ring), _area, frameSize, frameCount);
    }

    public QueueRings Rings { get; }

    public uint PacketLength { get; }

    public uint Headroom { get; }

    /// <summary>Takes up to <paramref name="count"/> frames from FILL and posts them on RX.</summary>
    public void Receive(uint count)
    {
        uint fillCons = *_fill.Consumer, fillProd = Volatile.Read(ref *_fill.Producer);
        uint rxProd = *_rx.Producer, rxRoom = RingSize - (rxProd - Volatile.Read(ref *_rx.Consumer));
        uint n = Math.Min(count, Math.Min(fillProd - fillCons, rxRoom));
        for (uint i = 0; i < n; i++)
        {
            ref XdpDesc desc = ref _rx.EntryAt(rxProd + i);
            desc.Address = _fill.EntryAt(fillCons + i) + Headroom;
            desc.Length = PacketLength;
        }
        Volatile.Write(ref *_fill.Consumer, fillCons + n);
        Volatile.Write(ref *_rx.Producer, rxProd + n);
    }

    /// <summary>Sends everything on TX: its addresses go to COMPLETION.</summary>
    public void TransmitAll()
    {
        uint txCons = *_tx.Consumer, txProd = Volatile.Read(ref *_tx.Producer);
        uint compProd = *_completion.Producer;
        uint n = Math.Min(txProd - txCons, RingSize - (compProd - Volatile.Read(ref *_completion.Consumer)));
        for (uint i = 0; i < n; i++)
            _completion.EntryAt(compProd + i) = _tx.EntryAt(txCons + i).Address;
        Volatile.Write(ref *_tx.Consumer, txCons + n);
        Volatile.Write(ref *_completion.Producer, compProd + n);
    }

    public void Dispose()
    {
        _fill.Dispose();
        _completion.Dispose();
        _rx.Dispose();
        _tx.Dispose();
        NativeMemory.AlignedFree(_area);
    }
}
