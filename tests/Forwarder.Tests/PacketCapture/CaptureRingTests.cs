using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.PacketCapture;

[SupportedOSPlatform("linux")]
public sealed class CaptureRingTests
{
    [Fact]
    public void A_full_ring_counts_overflow_and_keeps_what_it_holds_in_order()
    {
        var ring = new CaptureRing(slots: 4, snapLength: 8);
        for (byte i = 0; i < 6; i++)
            Produce(ring, i);

        Assert.Equal(2, ring.Overflow);
        Assert.Equal([0, 1, 2, 3], TakeAll(ring));

        // Space freed by the consumer is used again, across the wrap.
        for (byte i = 10; i < 13; i++)
            Produce(ring, i);
        Assert.Equal(2, ring.Overflow);
        Assert.Equal([10, 11, 12], TakeAll(ring));
        Assert.False(ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0));
    }

    [Fact]
    public void Sizes_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptureRing(3, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptureRing(4, CaptureFilter.MaxSnapLength + 1));
    }

    private static void Produce(CaptureRing ring, byte marker)
    {
        int slot = ring.TryClaim();
        if (slot < 0)
            return;
        ref CaptureRecord frame = ref ring.Frame(slot);
        frame.Verdict = DropReason.UnknownVip;
        frame.ReceivedLength = 1;
        frame.ReceivedKept = 1;
        ring.Received(slot)[0] = marker;
        ring.Publish();
    }

    private static List<byte> TakeAll(CaptureRing ring)
    {
        var taken = new List<byte>();
        while (ring.TryTake(static (List<byte> list, in CaptureRecord frame, ReadOnlySpan<byte> received, ReadOnlySpan<byte> _) => list.Add(received[0]), taken))
        {
        }
        return taken;
    }
}
