using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>The vector path (hashes and ring indices eight at a time) and the scalar twin decide and write the same, bit for bit.</summary>
[SupportedOSPlatform("linux")]
public sealed class LoadBalancerPathAgreementTests
{
    [Fact]
    public void Vector_and_scalar_paths_agree_on_every_frame()
    {
        byte[][] frames = RandomFlows.Frames(seed: 7, count: 20_000);
        using var vector = new LoadBalancerBed(scalar: false);
        using var scalar = new LoadBalancerBed(scalar: true);

        ProcessedFrame[] a = vector.Run(frames);
        ProcessedFrame[] b = scalar.Run(frames);

        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(a[i].Verdict, b[i].Verdict);
            Assert.Equal(a[i].Output, b[i].Output);
        }
        Assert.True(a.Count(r => r.Verdict == DropReason.None) > frames.Length / 2, "most random flows should be forwarded");
        Assert.Equal(vector.Counters.BackendPackets, scalar.Counters.BackendPackets);
    }
}
