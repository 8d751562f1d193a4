using System.Net;
using System.Net.Sockets;
using AfXdp;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.Steering;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.Steering;

/// <summary>
/// The steering program (bpf/redirect.c) run by the kernel under BPF_PROG_RUN in repeat mode
/// (<see cref="ProgramTestRun.Repeat"/>: one frame, the program back to back), nanoseconds per run, beside
/// bpf/redirect_floor.c — a bare <c>bpf_redirect_map(&amp;xsks_map, rx_queue_index, XDP_PASS)</c> — as the
/// same-run floor: redirect.c's own cost (parse, VIP lookups, counters) is <see cref="Redirect"/> − <see cref="Floor"/>.
/// The tables hold 64 VIPs (an exact-port key and the address-level key each, as the forwarder writes them),
/// one nat backend and two host addresses. No socket is bound, so VIP frames end in XDP_PASS and the
/// no_socket counter, as on a queue without a worker: the same xsks_map lookup either way. Needs root.
/// </summary>
[MinColumn, MedianColumn]
public class RedirectProgramBenchmarks
{
    private const int Runs = 10_000;

    private RedirectProgram _redirect = null!;
    private XdpProgram _floor = null!;
    private byte[] _frame = [];

    /// <summary>
    /// vip-v4 / vip-v6: TCP to a VIP's port; vlan-vip: vip-v4 behind one VLAN tag; other / other-v6: UDP to an address
    /// that is no VIP; nat-reply: a nat backend's reply.
    /// </summary>
    [Params("vip-v4", "vip-v6", "vlan-vip", "other", "other-v6", "nat-reply")]
    public string Packet { get; set; } = "vip-v4";

    [GlobalSetup]
    public void Setup()
    {
        _redirect = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        _floor = XdpProgram.Load(Path.Combine(AppContext.BaseDirectory, "bpf", "redirect_floor.o"), "xdp_redirect_floor");
        for (int i = 0; i < 32; i++)
        {
            AddVip(IPAddress.Parse($"10.100.0.{i + 1}"), 80, ProtocolType.Tcp);
            AddVip(IPAddress.Parse($"fc00::{i + 0x100:x}"), 443, ProtocolType.Tcp);
        }
        _redirect.AddNatSource(VipMapKey.Create(IPAddress.Parse("10.0.1.1"), 8080, ProtocolType.Tcp));
        _redirect.AddHostAddress(IPAddress.Parse("10.0.0.254"));
        _redirect.AddHostAddress(IPAddress.Parse("fc00::fe"));
        _redirect.Flush();
        _frame = Packet switch
        {
            "vip-v4" => FrameFactory.Build("192.0.2.7", "10.100.0.1", 40000, 80, tcp: true, payload: 0),
            "vip-v6" => FrameFactory.Build("2001:db8::7", "fc00::100", 40000, 443, tcp: true, payload: 0),
            "vlan-vip" => FrameBuilder.Ipv4("192.0.2.7", "10.100.0.1").Vlan(100).Tcp(40000, 80).MinimumLength(FrameFactory.MinimumFrame).Build(),
            "other" => FrameFactory.Build("192.0.2.7", "10.0.0.99", 40000, 53, tcp: false, payload: 0),
            "other-v6" => FrameFactory.Build("2001:db8::7", "fc00::99", 40000, 53, tcp: false, payload: 0),
            "nat-reply" => FrameFactory.Build("10.0.1.1", "192.0.2.7", 8080, 40000, tcp: true, payload: 0),
            _ => throw new ArgumentException($"unknown packet {Packet}"),
        };
        // The kernel's own figure, for the log: BenchmarkDotNet's adds the syscall spread over the runs.
        Console.WriteLine($"// {Packet}: kernel's average per run: redirect.c {ProgramTestRun.Repeat(_redirect.ProgramFd, _frame, 1_000_000).NanosecondsPerRun} ns, "
            + $"floor {ProgramTestRun.Repeat(_floor.ProgramFd, _frame, 1_000_000).NanosecondsPerRun} ns");
    }

    private void AddVip(IPAddress address, ushort port, ProtocolType protocol)
    {
        _redirect.AddVip(VipMapKey.Create(address, port, protocol));
        _redirect.AddVip(VipMapKey.ForAddress(address));
    }

    /// <summary>bpf/redirect_floor.c: the bare redirect.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Runs)]
    public uint Floor() => ProgramTestRun.Repeat(_floor.ProgramFd, _frame, Runs).Verdict;

    /// <summary>bpf/redirect.c, the forwarder's steering program.</summary>
    [Benchmark(OperationsPerInvoke = Runs)]
    public uint Redirect() => ProgramTestRun.Repeat(_redirect.ProgramFd, _frame, Runs).Verdict;

    [GlobalCleanup]
    public void Cleanup()
    {
        _redirect.Dispose();
        _floor.Dispose();
    }
}
