using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>
/// The frames of one RX batch while the worker processes them. Processing stages run over the whole
/// batch, one stage at a time. A stage may move a frame's start into its headroom (to add headers)
/// by changing <see cref="Address"/> and <see cref="Length"/>, and sets a <see cref="Verdict"/> per frame.
/// Allocated once per worker.
/// </summary>
public sealed unsafe class PacketBatch
{
    public const int MaxSize = 256;

    public PacketBatch(byte* area, uint frameSize)
    {
        Area = area;
        FrameSize = frameSize;
    }

    /// <summary>Start of the UMEM: frame address A is at <c>Area + A</c>.</summary>
    public byte* Area { get; }

    public uint FrameSize { get; }

    public int Count;

    public readonly ulong[] Address = new ulong[MaxSize];
    public readonly uint[] Length = new uint[MaxSize];
    public readonly DropReason[] Verdict = new DropReason[MaxSize];

    /// <summary>The first byte of frame <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Data(int i) => Area + Address[i];

    /// <summary>Bytes free in front of frame <paramref name="i"/>'s data, inside its UMEM chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Headroom(int i) => (uint)(Address[i] & (FrameSize - 1));
}
