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
    private const int Changes = 120;

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
        for (; changes < Changes && clock.Elapsed < RunLimit / 2; changes++)
        {
            long before = Interlocked.Read(ref batches);
            // Grow to a few thousand keys and back: tables from 16 slots to 16,384 and every seed in between.
            int target = changes < Changes / 2 ? changes * 80 : (Changes - changes) * 80;
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
            // The next change waits for a batch of frames that ran during or after this one: every change meets frames,
            // however the two threads are scheduled (on a busy machine the runner can go without CPU for a while).
            if (!Wait.Until(() => Interlocked.Read(ref batches) > before || Volatile.Read(ref failure) is not null, RunLimit / 4, TimeSpan.FromMilliseconds(1)))
                break;
        }
        long during = Interlocked.Read(ref batches);
        stop.Cancel();
        Assert.True(runner.Join(TimeSpan.FromSeconds(10)), "the frame runner did not stop");

        Assert.Null(failure);
        RedirectCounters counters = program.ReadCounters();
        Assert.True(changes == Changes, $"only {changes} of {Changes} changes were made ({during} batches of frames): the test proved too little");
        Assert.Equal(0ul, counters.Passed);
        Assert.Equal(0ul, counters.HostPassed);
        Assert.Equal(counters.Seen, counters.NoSocket);
    }

    /// <summary>
    /// Two writers of one program's maps, as an upgrade's predecessor and successor are (and the predecessor again after a
    /// roll-back): each notices the other's writes by the generation in <c>steer_ctl</c> and rewrites in full, so no key
    /// the other left behind stays steered.
    /// </summary>
    [RootFact]
    public void A_writer_that_finds_the_tables_changed_by_another_rewrites_them_in_full()
    {
        RootGuard.Require();
        using RedirectProgram first = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        const int Kept = 1, Added = 2;
        VipMapKey kept = Key(Kept), added = Key(Added);
        int[] othersOnly = Enumerable.Range(10, 6).ToArray();
        first.AddVip(kept);
        first.Flush();
        first.AddVip(Key(3));
        first.Flush(); // both buffers written by the first writer
        using RedirectProgram second = RedirectProgram.Adopt(Duplicate(first.ProgramFd),
            RedirectProgram.MapNames.ToDictionary(name => name, name => Duplicate(first.MapFd(name))));
        second.AddVip(kept);
        foreach (int other in othersOnly)
            second.AddVip(Key(other));
        second.Flush();
        second.AddVip(Key(4));
        second.Flush(); // and both again by the second

        first.RemoveVip(Key(3));
        first.AddVip(added);
        first.Flush();

        Assert.True(Steered(first, Kept), "the key both writers steer is not steered");
        Assert.True(Steered(first, Added), "the key the first writer added last is not steered");
        Assert.All(othersOnly, other => Assert.False(Steered(first, other), $"10.100.0.{other}, which only the second writer steered, is still steered"));
        Assert.False(Steered(first, 4));
    }

    /// <summary>Whatever another writer left in <c>steer_ctl</c> (any active word, shapes, generation), the next change steers exactly its keys.</summary>
    [RootFact]
    public void A_garbled_control_word_is_written_over_by_the_next_change()
    {
        RootGuard.Require();
        using RedirectProgram program = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        program.AddVip(Key(1));
        program.Flush();
        var garbled = new SteeringControl { Active = 0xFFFF_FFFF, Generation = 77, Vips0 = new() { Seed = ulong.MaxValue, Mask = uint.MaxValue }, Vips1 = new() { Mask = 5 } };
        BpfMap.Open("steer_ctl", program.MapFd("steer_ctl")).Update(0u, garbled);
        Assert.False(Steered(program, 1)); // a garbled shape finds nothing, and nothing worse happens

        program.AddVip(Key(2));
        program.Flush();

        Assert.True(Steered(program, 1));
        Assert.True(Steered(program, 2));
        Assert.False(Steered(program, 3));
    }

    private static VipMapKey Key(int index) => VipMapKey.Create(new IPAddress(new byte[] { 10, 100, 0, (byte)index }), 80, ProtocolType.Tcp);

    /// <summary>A TCP frame to 10.100.0.<paramref name="index"/>:80 is steered (no socket: counted as no_socket).</summary>
    private static bool Steered(RedirectProgram program, int index)
    {
        var address = new IPAddress(new byte[] { 10, 100, 0, (byte)index });
        ulong before = program.ReadCounters().NoSocket;
        ProgramTestRun.Run(program.ProgramFd, FrameBuilder.Ip(IPAddress.Parse("192.0.2.7"), address).Tcp(40000, 80).Build());
        return program.ReadCounters().NoSocket == before + 1;
    }

    private static int Duplicate(int fd)
    {
        int copy = Forwarder.Interop.Posix.Fcntl(fd, Forwarder.Interop.Posix.F_DUPFD, 3);
        Assert.True(copy >= 0, $"fcntl(F_DUPFD) of {fd} failed");
        return copy;
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
