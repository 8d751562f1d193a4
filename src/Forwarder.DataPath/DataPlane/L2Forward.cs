using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// Plain L2 forwarding: every frame goes back out with the next hop's MAC as destination and our
/// own MAC as source; nothing else changes.
/// </summary>
public unsafe struct L2Forward : IBatchProcessor
{
    private const int EthernetHeaderLength = 14;

    // Destination and source MACs are the frame's first 12 bytes: written as one 8-byte and one 4-byte store.
    private readonly ulong _head;
    private readonly uint _tail;

    public L2Forward(ReadOnlySpan<byte> nextHopMac, ReadOnlySpan<byte> ownMac)
    {
        if (nextHopMac.Length != 6 || ownMac.Length != 6)
            throw new ArgumentException("MAC addresses are 6 bytes");
        Span<byte> header = stackalloc byte[12];
        nextHopMac.CopyTo(header);
        ownMac.CopyTo(header[6..]);
        _head = BinaryPrimitives.ReadUInt64LittleEndian(header);
        _tail = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Process(PacketBatch batch)
    {
        ulong head = _head;
        uint tail = _tail;
        int count = batch.Count;
        uint[] lengths = batch.Length;
        DropReason[] verdicts = batch.Verdict;
        for (int i = 0; i < count; i++)
        {
            if (lengths[i] < EthernetHeaderLength)
            {
                verdicts[i] = DropReason.FrameTooShort;
                continue;
            }
            byte* frame = batch.Data(i);
            Unsafe.WriteUnaligned(frame, head);
            Unsafe.WriteUnaligned(frame + 8, tail);
            verdicts[i] = DropReason.None;
        }
    }
}
