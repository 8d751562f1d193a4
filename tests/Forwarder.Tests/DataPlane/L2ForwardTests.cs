using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.DataPlane;

/// <summary>L2 forwarding rewrites the two MACs (bytes 0..11) of each frame and nothing else, and drops runt frames.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class L2ForwardTests
{
    private const uint FrameSize = 2048;
    private const int Frames = 8;
    private static readonly L2Forward Forward = new(TestPacket.NextHopMac, TestPacket.OwnMac);

    [Fact]
    public void Rewrites_exactly_the_two_MACs_of_each_frame_and_nothing_around_them()
    {
        using var area = new PatternedArea();
        (ulong address, uint length)[] frames =
        [
            (0 * FrameSize + 256, 64),
            (1 * FrameSize + 256, 14),   // just an Ethernet header: long enough
            (2 * FrameSize + 0, 1514),   // no headroom, full-size frame
            (3 * FrameSize + 100, 60),   // data moved into the headroom
        ];
        PacketBatch batch = area.Batch(frames);
        byte[] expected = area.Snapshot();
        foreach ((ulong address, _) in frames)
        {
            TestPacket.NextHopMac.CopyTo(expected, (int)address);
            TestPacket.OwnMac.CopyTo(expected, (int)address + 6);
        }

        Forward.Process(batch);

        Assert.Equal(expected, area.Snapshot());
        for (int i = 0; i < frames.Length; i++)
            Assert.Equal(DropReason.None, batch.Verdict[i]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(13u)]
    public void Frames_shorter_than_an_Ethernet_header_are_dropped_untouched(uint length)
    {
        using var area = new PatternedArea();
        PacketBatch batch = area.Batch([(256, 64), (FrameSize + 256, length), (2 * FrameSize + 256, 64)]);
        byte[] before = area.Snapshot();

        Forward.Process(batch);

        Assert.Equal(new[] { DropReason.None, DropReason.FrameTooShort, DropReason.None }, batch.Verdict[..3]);
        byte[] after = area.Snapshot();
        Assert.Equal(before.AsSpan((int)FrameSize, (int)FrameSize), after.AsSpan((int)FrameSize, (int)FrameSize));
        Assert.Equal(TestPacket.NextHopMac, after[256..262]); // its neighbours were forwarded
        Assert.Equal(TestPacket.OwnMac, after[262..268]);
    }

    [Fact]
    public void Every_verdict_is_set_even_where_a_previous_batch_left_a_drop()
    {
        using var area = new PatternedArea();
        PacketBatch batch = area.Batch([(256, 64), (FrameSize + 256, 5)]);
        Forward.Process(batch);
        batch.Length[0] = 5;
        batch.Length[1] = 64;

        Forward.Process(batch);

        Assert.Equal(new[] { DropReason.FrameTooShort, DropReason.None }, batch.Verdict[..2]);
    }

    [Fact]
    public void Only_the_batch_count_is_processed()
    {
        using var area = new PatternedArea();
        PacketBatch batch = area.Batch([(256, 64), (FrameSize + 256, 64)]);
        batch.Count = 1;
        batch.Verdict[1] = DropReason.TxRingFull;
        byte[] before = area.Snapshot();

        Forward.Process(batch);

        Assert.Equal(DropReason.TxRingFull, batch.Verdict[1]);
        Assert.Equal(before.AsSpan((int)FrameSize), area.Snapshot().AsSpan((int)FrameSize));
    }

    [Theory]
    [InlineData(5, 6)]
    [InlineData(6, 7)]
    [InlineData(0, 0)]
    public void MACs_of_any_length_but_six_are_refused(int nextHopLength, int ownLength)
    {
        Assert.Throws<ArgumentException>(() => new L2Forward(new byte[nextHopLength], new byte[ownLength]));
    }

    /// <summary>A small UMEM filled with a byte pattern, so any stray write shows.</summary>
    private sealed class PatternedArea : IDisposable
    {
        private const int Bytes = Frames * (int)FrameSize;
        private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(Bytes, 64);

        public PatternedArea()
        {
            for (int i = 0; i < Bytes; i++)
                _area[i] = (byte)(i * 31 + 7);
        }

        public PacketBatch Batch((ulong Address, uint Length)[] frames)
        {
            var batch = new PacketBatch(_area, FrameSize) { Count = frames.Length };
            for (int i = 0; i < frames.Length; i++)
            {
                batch.Address[i] = frames[i].Address;
                batch.Length[i] = frames[i].Length;
                batch.Verdict[i] = DropReason.TxRingFull; // stale: Process must overwrite it
            }
            return batch;
        }

        public byte[] Snapshot() => new ReadOnlySpan<byte>(_area, Bytes).ToArray();

        public void Dispose() => NativeMemory.AlignedFree(_area);
    }
}
