using System.Net;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.Steering;
using Forwarder.Testing;

namespace Forwarder.IntegrationTests;

/// <summary>
/// <see cref="ProgramTestRun.Repeat"/>, which the steering micro-benchmarks time redirect.c and its floor
/// (bpf/redirect_floor.c) with: the kernel runs the program the times asked, gives the verdict a single run
/// gives, and its own time per run.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ProgramTestRunRepeatTests
{
    private const uint XdpPass = 2;

    [RootFact]
    public void Repeat_runs_the_program_the_times_asked_and_times_it()
    {
        RootGuard.Require();
        using RedirectProgram redirect = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        redirect.AddVip(VipMapKey.Create(IPAddress.Parse("10.100.0.1"), 80, System.Net.Sockets.ProtocolType.Tcp));
        redirect.Flush();
        byte[] frame = FrameBuilder.Ip(IPAddress.Parse("192.0.2.7"), IPAddress.Parse("10.100.0.1")).Tcp(40000, 80).Build();

        (uint verdict, uint nanoseconds) = ProgramTestRun.Repeat(redirect.ProgramFd, frame, 1000);

        Assert.Equal(XdpPass, verdict); // no socket bound on the queue: the redirect falls back to the kernel
        Assert.Equal(ProgramTestRun.Run(redirect.ProgramFd, frame).Verdict, verdict);
        Assert.InRange(nanoseconds, 1u, 1_000_000u);
        RedirectCounters counters = redirect.ReadCounters();
        Assert.Equal(1001ul, counters.Seen);
        Assert.Equal(1001ul, counters.NoSocket);
    }

    [RootFact]
    public void The_floor_program_passes_every_frame_when_no_socket_is_bound()
    {
        RootGuard.Require();
        using XdpProgram floor = XdpProgram.Load(Path.Combine(AppContext.BaseDirectory, "bpf", "redirect_floor.o"), "xdp_redirect_floor");
        byte[] frame = FrameBuilder.Ip(IPAddress.Parse("192.0.2.7"), IPAddress.Parse("10.0.0.99")).Udp(40000, 53).Build();

        Assert.Equal(XdpPass, ProgramTestRun.Repeat(floor.ProgramFd, frame, 100).Verdict);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProgramTestRun.Repeat(floor.ProgramFd, frame, 0));
    }
}
