using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.Steering;

namespace Forwarder.IntegrationTests.Steering;

/// <summary>
/// VIPs and nat backends change while the kernel runs redirect.c on a VIP's frames (BPF_PROG_RUN on another thread):
/// the tables are rebuilt in the buffer frames do not use and switched in at once, so not one frame of the VIP that
/// stays is handed to the kernel, through tables that grow, shrink and change seed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SteeringChangeTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    [RootFact]
    public void A_vip_that_stays_is_steered_through_every_change()
    {
        RootGuard.Require();
        using RedirectProgram program = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        VipMapKey staying = VipMapKey.Create(IPAddress.Parse("10.100.0.1"), 80, ProtocolType.Tcp);
        program.AddVip(staying);
        program.Flush();
        byte[] frame = FrameBuilder.Ipv4("192.0.2.7", "10.100.0.1").Tcp(40000, 80).Build();
        byte[] reply = FrameBuilder.Ipv4("10.0.1.1", "192.0.2.7").Tcp(8080, 40000).Build();
        VipMapKey backend = VipMapKey.Create(IPAddress.Parse("10.0.1.1"), 8080, ProtocolType.Tcp);
        program.AddNatSource(backend);
        program.Flush();

        using var stop = new CancellationTokenSource(RunLimit);
        long batches = 0;
        Exception? failure = null;
        var runner = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    ProgramTestRun.Repeat(program.ProgramFd, frame, 100);
                    ProgramTestRun.Repeat(program.ProgramFd, reply, 100);
                    Interlocked.Increment(ref batches);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true };
        runner.Start();

        var others = new List<VipMapKey>();
        var random = new Random(7);
        int changes = 0;
        var clock = Stopwatch.StartNew();
        for (; changes < 120 && clock.Elapsed < RunLimit / 2; changes++)
        {
            // Grow to a few thousand keys and back: tables from 16 slots to 16,384 and every seed in between.
            int target = changes < 60 ? changes * 80 : (120 - changes) * 80;
            while (others.Count < target)
            {
                VipMapKey key = VipMapKey.Create(new IPAddress(new byte[] { 10, 101, (byte)random.Next(256), (byte)random.Next(256) }), (ushort)random.Next(1, 65536), ProtocolType.Tcp);
                others.Add(key);
                program.AddVip(key);
                program.AddNatSource(key);
            }
            while (others.Count > target)
            {
                program.RemoveVip(others[^1]);
                program.RemoveNatSource(others[^1]);
                others.RemoveAt(others.Count - 1);
            }
            program.Flush();
        }
        long during = Interlocked.Read(ref batches);
        stop.Cancel();
        Assert.True(runner.Join(TimeSpan.FromSeconds(10)), "the frame runner did not stop");

        Assert.Null(failure);
        RedirectCounters counters = program.ReadCounters();
        Assert.True(during >= 10, $"only {during} batches of frames ran during {changes} changes: the test proved nothing");
        Assert.Equal(0ul, counters.Passed);
        Assert.Equal(0ul, counters.HostPassed);
        Assert.Equal(counters.Seen, counters.NoSocket);
    }

    [RootFact]
    public void A_program_with_another_map_layout_is_not_adopted()
    {
        RootGuard.Require();
        using RedirectProgram loaded = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        var maps = RedirectProgram.MapNames.ToDictionary(name => name, loaded.MapFd);

        Assert.Null(RedirectProgram.LayoutMismatch(maps));

        // The maps of the layout before the tables: hash maps named vips and nat_sources.
        var older = maps.Where(m => m.Key is not ("vip_table" or "nat_table" or "addr_filter" or "steer_ctl"))
            .Append(new("vips", maps["host_addrs"])).Append(new("nat_sources", maps["host_addrs"])).ToDictionary();
        var refused = Assert.Throws<InvalidOperationException>(() => RedirectProgram.Adopt(loaded.ProgramFd, older));
        Assert.Contains("no map 'vip_table'", refused.Message);
        Assert.Contains("Stop the running forwarder and start this one", refused.Message);

        // A map of the right name and another shape.
        var reshaped = new Dictionary<string, int>(maps) { ["vip_table"] = maps["host_addrs"] };
        Assert.Contains("map 'vip_table' is type 1", RedirectProgram.LayoutMismatch(reshaped));
    }
}
