using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Tests.DataPlane;
using Forwarder.Tests.LoadBalancing;

namespace Forwarder.Tests.PacketCapture;

/// <summary>The capture wrapper allocates nothing on the hot path, off (as every worker runs it) and on (a capture running, drained as the writer does).</summary>
[SupportedOSPlatform("linux")]
public sealed class CaptureAllocationTests
{
    private const long Packets = 1_000_000;

    [Fact]
    public void Capture_off_allocates_nothing_over_a_million_packets() => Assert.Equal(0, Measure(capturing: null));

    [Theory]
    [InlineData(null)]
    [InlineData("10.100.0.1")]
    public void Capture_on_allocates_nothing_over_a_million_packets(string? vip) => Assert.Equal(0, Measure(CaptureFilterTests.Filter(vip: vip)));

    private static long Measure(CaptureFilter? capturing) => MeasuredRun.OnOwnThread(() =>
    {
        byte[][] frames = RandomFlows.Frames(seed: 5, count: LoadBalancerBed.BatchSize * 16);
        var capture = new CaptureSwitch();
        CaptureTap? tap = capturing is null ? null : new CaptureTap(capturing, ringSlots: 1024);
        if (tap is not null)
            capture.TryStart([tap]);
        using var bed = new LoadBalancerBed(capture: capture);
        Pump(bed, tap, frames, Packets / 10); // JIT and tiering happen here
        long before = GC.GetAllocatedBytesForCurrentThread();
        Pump(bed, tap, frames, Packets);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (tap is not null && tap.Ring.Published == 0)
            throw new InvalidOperationException($"the capture kept only {tap.Ring.Published} frames");
        return allocated;
    });

    private static void Pump(LoadBalancerBed bed, CaptureTap? tap, byte[][] frames, long packets)
    {
        int batches = frames.Length / LoadBalancerBed.BatchSize;
        for (long done = 0, b = 0; done < packets; done += LoadBalancerBed.BatchSize, b++)
        {
            bed.Load(frames, (int)(b % batches) * LoadBalancerBed.BatchSize, LoadBalancerBed.BatchSize);
            bed.ProcessLoaded();
            while (tap is not null && tap.Ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0))
            {
            }
        }
    }
}
