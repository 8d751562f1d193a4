using System.Net;
using System.Runtime.Versioning;
using Forwarder.Capture;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Tests.LoadBalancing;
using Forwarder.Tests.LoadBalancing.Fixtures;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.PacketCapture;

/// <summary>The workers' side of a capture over the real load balancer: which frames are kept, and their bytes on both sides.</summary>
[SupportedOSPlatform("linux")]
public sealed class CaptureFilterTests
{
    /// <summary>TCP to the ipip VIP 10.100.0.1:80 (forwarded).</summary>
    private static readonly byte[] ToVip = Expect.Arriving(FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(31337, 80, payload: 100).Build());

    /// <summary>TCP to an address that is no VIP (dropped: unknown_vip).</summary>
    private static readonly byte[] ToNoVip = Expect.Arriving(FrameBuilder.Ipv4("192.168.1.2", "10.100.9.9").Tcp(40000, 80).Build());

    /// <summary>UDP to the nat VIP's address, but the VIP is TCP (dropped: unknown_vip).</summary>
    private static readonly byte[] UdpToTcpVip = Expect.Arriving(FrameBuilder.Ipv4("192.168.1.3", "10.100.0.4").Udp(5000, 80).Build());

    private static readonly byte[][] Mixed = [ToVip, ToNoVip, UdpToTcpVip];

    [Fact]
    public void Without_criteria_every_frame_is_kept_as_received_and_as_transmitted_or_with_its_drop_reason()
    {
        (List<Kept> kept, ProcessedFrame[] processed) = Capture(Filter(), Mixed);

        Assert.Equal(3, kept.Count);
        Assert.Equal(ToVip, kept[0].Received);
        Assert.Equal(processed[0].Output, kept[0].Transmitted);
        Assert.Equal(DropReason.None, kept[0].Verdict);
        Assert.Equal(DropReason.UnknownVip, kept[1].Verdict);
        Assert.Equal(ToNoVip, kept[1].Received);
        Assert.Empty(kept[1].Transmitted);
        Assert.Equal(DropReason.UnknownVip, kept[2].Verdict);
    }

    [Theory]
    [InlineData("10.100.0.1", 1)]
    [InlineData("10.100.0.1:80", 1)]
    [InlineData("10.100.0.1:80/tcp", 1)]
    [InlineData("10.100.0.1:81", 0)]
    [InlineData("10.100.0.1/udp", 0)]
    [InlineData("10.100.0.4", 1)] // the UDP frame is addressed to it, though dropped
    [InlineData("10.100.0.4/tcp", 0)]
    [InlineData("fc00::100", 0)]
    public void The_vip_criterion_matches_address_port_and_protocol(string vip, int expected)
    {
        (List<Kept> kept, _) = Capture(Filter(vip: vip), Mixed);
        Assert.Equal(expected, kept.Count);
    }

    [Fact]
    public void The_drop_criterion_keeps_only_frames_dropped_for_that_reason()
    {
        Assert.Equal(2, Capture(Filter(drop: "unknown_vip"), Mixed).Kept.Count);
        Assert.Empty(Capture(Filter(drop: "no_backend"), Mixed).Kept);
    }

    [Fact]
    public void The_backend_criterion_matches_the_destination_as_transmitted()
    {
        (_, ProcessedFrame[] processed) = Capture(Filter(), [ToVip]);
        // The outer IPv4 destination of the IPIP frame: the backend the flow went to.
        string chosen = new IPAddress(processed[0].Output.AsSpan(14 + 16, 4)).ToString();
        string other = chosen == "10.0.0.1" ? "10.0.0.2" : "10.0.0.1";

        Assert.Single(Capture(Filter(backend: chosen), Mixed).Kept);
        Assert.Empty(Capture(Filter(backend: other), Mixed).Kept);
    }

    [Fact]
    public void The_snap_length_cuts_both_sides_and_keeps_the_original_lengths()
    {
        (List<Kept> kept, ProcessedFrame[] processed) = Capture(Filter(snap: "20"), [ToVip]);
        Kept frame = Assert.Single(kept);
        Assert.Equal(ToVip[..20], frame.Received);
        Assert.Equal(processed[0].Output![..20], frame.Transmitted);
        Assert.Equal(((uint)ToVip.Length, (uint)processed[0].Output!.Length), (frame.Frame.ReceivedLength, frame.Frame.TransmittedLength));
    }

    [Fact]
    public void A_worker_stops_at_the_count()
    {
        (List<Kept> kept, _) = Capture(Filter(count: "2"), [.. Mixed, .. Mixed]);
        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public void Frames_that_find_the_ring_full_are_counted_and_forwarding_goes_on()
    {
        var capture = new CaptureSwitch();
        var tap = new CaptureTap(Filter(), ringSlots: 2);
        Assert.True(capture.TryStart([tap]));
        using var bed = new LoadBalancerBed(capture: capture);
        ProcessedFrame[] processed = bed.Run([ToVip, ToVip, ToVip, ToVip, ToVip]);

        Assert.All(processed, p => Assert.Equal(DropReason.None, p.Verdict));
        Assert.Equal(3, tap.Ring.Overflow);
        Assert.Equal(2, tap.Ring.Published);
    }

    [Fact]
    public void Frames_lost_to_overflow_do_not_count_towards_the_count()
    {
        var capture = new CaptureSwitch();
        var tap = new CaptureTap(Filter(count: "3"), ringSlots: 2);
        Assert.True(capture.TryStart([tap]));
        using var bed = new LoadBalancerBed(capture: capture);
        bed.Run([ToVip, ToVip, ToVip]);
        Assert.Equal((2L, 1L), (tap.Ring.Published, tap.Ring.Overflow));

        while (tap.Ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0))
        {
        }
        bed.Run([ToVip, ToVip]);
        Assert.Equal((3L, 1L), (tap.Ring.Published, tap.Ring.Overflow)); // the third kept frame, then the count is reached
    }

    [Fact]
    public void Stopped_the_workers_copy_nothing()
    {
        var capture = new CaptureSwitch();
        CaptureTap[] taps = [new CaptureTap(Filter(), 64)];
        Assert.True(capture.TryStart(taps));
        Assert.False(capture.TryStart([new CaptureTap(Filter(), 64)])); // one at a time
        capture.Stop(taps);
        Assert.Null(capture.Taps);
        using var bed = new LoadBalancerBed(capture: capture);
        bed.Run(Mixed);
        Assert.Equal(0, taps[0].Ring.Published);
    }

    internal sealed record Kept(CaptureRecord Frame, byte[] Received, byte[] Transmitted)
    {
        public DropReason Verdict => Frame.Verdict;
    }

    internal static CaptureFilter Filter(string? vip = null, string? backend = null, string? drop = null, string? count = null, string? snap = null)
    {
        CaptureRequest? request = CaptureRequest.Read(vip, backend, drop, count, snap, null, out List<string> errors);
        Assert.True(request is not null, string.Join("; ", errors));
        return request.Filter;
    }

    private static (List<Kept> Kept, ProcessedFrame[] Processed) Capture(CaptureFilter filter, byte[][] frames)
    {
        var capture = new CaptureSwitch();
        var tap = new CaptureTap(filter, ringSlots: 64);
        Assert.True(capture.TryStart([tap]));
        using var bed = new LoadBalancerBed(capture: capture);
        ProcessedFrame[] processed = bed.Run(frames);
        var kept = new List<Kept>();
        while (tap.Ring.TryTake(static (List<Kept> list, in CaptureRecord frame, ReadOnlySpan<byte> received, ReadOnlySpan<byte> transmitted) =>
                   list.Add(new Kept(frame, received.ToArray(), transmitted.ToArray())), kept))
        {
        }
        Assert.Equal(0, tap.Ring.Overflow);
        return (kept, processed);
    }
}
