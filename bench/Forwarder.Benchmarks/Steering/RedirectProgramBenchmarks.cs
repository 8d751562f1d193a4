using AfXdp;
using BenchmarkDotNet.Attributes;
using Forwarder.Steering;

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
        _redirect = SteeringFixture.Load(RedirectProgram.DefaultObjectPath);
        _floor = SteeringFixture.LoadFloor();
        _frame = SteeringFixture.Frame(Packet);
        // The kernel's own figure, for the log: BenchmarkDotNet's adds the syscall spread over the runs.
        Console.WriteLine($"// {Packet}: kernel's average per run: redirect.c {ProgramTestRun.Repeat(_redirect.ProgramFd, _frame, 1_000_000).NanosecondsPerRun} ns, "
            + $"floor {ProgramTestRun.Repeat(_floor.ProgramFd, _frame, 1_000_000).NanosecondsPerRun} ns");
    }

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
