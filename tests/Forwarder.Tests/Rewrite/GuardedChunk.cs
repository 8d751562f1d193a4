using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// A one-frame UMEM: one 4096-byte chunk between two chunks filled with a guard pattern, and a
/// <see cref="PacketBatch"/> over it holding the frame as frame 0. A rewrite that writes before the
/// chunk's first byte or past its last changes a guard byte, which <see cref="AssertGuardsIntact"/> reports.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class GuardedChunk : IDisposable
{
    public const uint FrameSize = 4096;
    private const byte GuardByte = 0xE7;
    private const byte HeadroomByte = 0x5A;

    private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(3 * FrameSize, FrameSize);

    public GuardedChunk() => Batch = new PacketBatch(_area, FrameSize);

    public PacketBatch Batch { get; }

    /// <summary>The chunk's first byte, as a UMEM address.</summary>
    public static ulong ChunkAddress => FrameSize;

    /// <summary>Copies <paramref name="frame"/> into the chunk after <paramref name="headroom"/> bytes and makes it frame 0 of the batch.</summary>
    public void Load(ReadOnlySpan<byte> frame, int headroom)
    {
        if (headroom < 0 || headroom + frame.Length > FrameSize)
            throw new ArgumentOutOfRangeException(nameof(headroom), "the frame does not fit the chunk");
        new Span<byte>(_area, (int)(3 * FrameSize)).Fill(GuardByte);
        new Span<byte>(_area + FrameSize, (int)FrameSize).Fill(HeadroomByte);
        frame.CopyTo(new Span<byte>(_area + FrameSize + headroom, frame.Length));
        Batch.Count = 1;
        Batch.Address[0] = FrameSize + (ulong)headroom;
        Batch.Length[0] = (uint)frame.Length;
        Batch.Verdict[0] = DropReason.None;
    }

    /// <summary>Copies <paramref name="frame"/> back after <paramref name="headroom"/> bytes without touching the rest (allocates nothing).</summary>
    public void Reload(ReadOnlySpan<byte> frame, int headroom)
    {
        frame.CopyTo(new Span<byte>(_area + FrameSize + headroom, frame.Length));
        Batch.Address[0] = FrameSize + (ulong)headroom;
        Batch.Length[0] = (uint)frame.Length;
    }

    /// <summary>Loads <paramref name="frame"/> so that it ends on the chunk's last byte: no tailroom at all.</summary>
    public void LoadAtEnd(ReadOnlySpan<byte> frame) => Load(frame, (int)FrameSize - frame.Length);

    /// <summary>Loads and parses <paramref name="frame"/> in place; it must parse.</summary>
    public ParsedPacket LoadParsed(ReadOnlySpan<byte> frame, int? headroom = null)
    {
        if (headroom is int bytes)
            Load(frame, bytes);
        else
            LoadAtEnd(frame);
        DropReason verdict = PacketParser.Parse(Batch.Data(0), Batch.Length[0], out ParsedPacket packet);
        Assert.Equal(DropReason.None, verdict);
        return packet;
    }

    /// <summary>Frame 0 as the batch now describes it; it must lie inside the chunk.</summary>
    public byte[] Output()
    {
        ulong address = Batch.Address[0];
        uint length = Batch.Length[0];
        Assert.InRange(address, FrameSize, 2 * FrameSize - 1);
        Assert.InRange(address + length, address, 2 * FrameSize);
        return new ReadOnlySpan<byte>(_area + address, (int)length).ToArray();
    }

    /// <summary>The whole chunk, headroom and tailroom included (to show that a refused rewrite changed nothing).</summary>
    public byte[] Chunk() => new ReadOnlySpan<byte>(_area + FrameSize, (int)FrameSize).ToArray();

    public void AssertGuardsIntact()
    {
        var before = new ReadOnlySpan<byte>(_area, (int)FrameSize);
        var after = new ReadOnlySpan<byte>(_area + 2 * FrameSize, (int)FrameSize);
        Assert.True(before.IndexOfAnyExcept(GuardByte) < 0, $"written before the chunk at {before.IndexOfAnyExcept(GuardByte) - (int)FrameSize}");
        Assert.True(after.IndexOfAnyExcept(GuardByte) < 0, $"written past the chunk at +{after.IndexOfAnyExcept(GuardByte)}");
    }

    public void Dispose() => NativeMemory.AlignedFree(_area);
}
