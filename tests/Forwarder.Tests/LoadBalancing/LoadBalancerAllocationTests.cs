using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>Load balancing allocates nothing: millions of packets in every mode leave the thread's allocation count unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed class LoadBalancerAllocationTests
{
    private const long Packets = 2_000_000;

    /// <summary>The simulated NIC's test packet (UDP to 10.0.0.100:80) to a dsr-l2 backend whose MAC is the wire's expected next hop.</summary>
    private static readonly string DsrToTestWire = ConfigBuilder.WithoutVips()
        .RouterMac("02:00:00:00:00:fe")
        .Vip("10.0.0.100", 80, "udp", v => v.Mode("dsr-l2").Backend("10.0.0.7", mac: "02:00:00:00:00:fe"))
        .ToYaml();

    [Fact]
    public void The_processor_allocates_nothing_in_any_mode()
    {
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            byte[][] frames = RandomFlows.Frames(seed: 11, count: LoadBalancerBed.BatchSize * 16);
            using var bed = new LoadBalancerBed();
            Pump(bed, frames, Packets / 10); // JIT and tiering happen here
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(bed, frames, Packets);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_processor_allocates_nothing_routing_quic_traffic()
    {
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            byte[][] frames = LoadBalancerPathAgreementTests.QuicTraffic(seed: 13, count: LoadBalancerBed.BatchSize * 16);
            using var bed = new LoadBalancerBed(Fixtures.QuicFixtures.Yaml);
            Pump(bed, frames, Packets / 10);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(bed, frames, Packets);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_worker_with_load_balancing_allocates_nothing_and_loses_nothing()
    {
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            using var queue = new SimulatedQueue(initialIndex: uint.MaxValue - 1000) { ShortFrameEvery = 97 };
            var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(DsrToTestWire), TestPacket.OwnMac, workerCount: 1).Snapshot;
            var worker = new Worker<LoadBalancer, SimulatedKernel>(queue.Rings, new LoadBalancer(new SnapshotSource(snapshot), 0),
                queue.Kernel, new WorkerOptions { BatchSize = 64, IdleSleepMs = 0 });
            MeasuredRun.Pump(queue, worker, Packets / 10);
            long before = GC.GetAllocatedBytesForCurrentThread();
            MeasuredRun.Pump(queue, worker, Packets);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            SimulatedWorker.Drain(queue, worker);
            WorkerCounters counters = worker.Counters;
            if (counters.RxPackets != counters.TxPackets + counters.TotalDrops || counters.TxPackets != queue.Transmitted)
                throw new FrameAccountingException("the measured run lost packets");
            if (counters.Drops[(int)DropReason.FrameTooShort] != queue.ShortFramesReceived || snapshot.Counters[0].VipPackets[0] != counters.TxPackets)
                throw new FrameAccountingException("drops or VIP counts do not match what was received");
            return bytes;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Source_allow_lists_allocate_nothing()
    {
        string yaml = ConfigBuilder.WithoutVips()
            .Vip("10.100.0.1", 80, "tcp", v => v.AllowedSources("192.168.0.0/16", "10.1.2.3/32", "172.16.0.0/12").Backends("10.0.0.1", "10.0.0.2"))
            .Vip("fc00::100", 443, "tcp", v => v.AllowedSources("2001:db8::/32", "2001:db9::1/128").Backends("fc00::a", "fc00::b"))
            .ToYaml();
        var random = new Random(5);
        // Half of each family is refused (192.168/16 allowed, 172.16.x not; 2001:db8::7 allowed, 2001:db9::2 not): the refusals are counted per VIP.
        byte[][] frames = Enumerable.Range(0, LoadBalancerBed.BatchSize * 4).Select(i => i % 2 == 0
            ? FrameBuilder.Ipv4($"{(i % 4 == 0 ? "192.168" : "172.15")}.{random.Next(256)}.{random.Next(1, 255)}", "10.100.0.1").Tcp((ushort)random.Next(1024, 65536), 80).Build()
            : FrameBuilder.Ipv6(i % 4 == 1 ? "2001:db8::7" : "2001:db9::2", "fc00::100").Tcp((ushort)random.Next(1024, 65536), 443).Build()).ToArray();
        long[] refused = [];
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            using var bed = new LoadBalancerBed(yaml);
            Pump(bed, frames, Packets / 10);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Pump(bed, frames, Packets);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            refused = bed.Counters.VipSourceNotAllowed;
            return bytes;
        });
        Assert.Equal(0, allocated);
        long perVip = (Packets + Packets / 10) / 4; // a quarter of every batch is refused by each VIP
        Assert.Equal([perVip, perVip], refused);
    }

    internal static void Pump(LoadBalancerBed bed, byte[][] frames, long packets)
    {
        int batches = frames.Length / LoadBalancerBed.BatchSize;
        for (long done = 0, b = 0; done < packets; done += LoadBalancerBed.BatchSize, b++)
        {
            bed.Load(frames, (int)(b % batches) * LoadBalancerBed.BatchSize, LoadBalancerBed.BatchSize);
            bed.ProcessLoaded();
        }
    }
}
