using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Configuration;
using Forwarder.Hosting;
using Forwarder.Hosting.Privileges;
using Forwarder.Tests.Configuration;
using Forwarder.Steering;

namespace Forwarder.Tests.Hosting;

/// <summary>The start-up checks, fed made-up facts: one message per problem, naming what to change.</summary>
[SupportedOSPlatform("linux")]
public class StartupChecksTests
{
    private static readonly CapabilitySet Root = TestCapabilities.Root;

    private static readonly ForwarderOptions Options = new()
    {
        Interface = "eth0",
        Queues = [new QueueAssignment(0, 0), new QueueAssignment(1, 1)],
        Vips = [],
        NextHopMac = new byte[6],
    };

    private static StartupFacts Facts(CapabilitySet? effective = null, CapabilitySet? bounding = null, InterfaceFacts? iface = null, ulong memlock = ulong.MaxValue) => new()
    {
        Capabilities = TestCapabilities.Thread(effective ?? Root, bounding),
        MemlockLimit = memlock,
        Interface = iface ?? new InterfaceFacts("eth0", 1500, 4, null),
    };

    [Fact]
    public void A_root_process_on_a_fitting_interface_passes() =>
        Assert.Empty(StartupChecks.Check(Options, Facts()));

    [Fact]
    public void Names_each_missing_capability_and_how_to_grant_it()
    {
        CapabilitySet some = CapabilitySet.Of(Capability.NetAdmin, Capability.IpcLock);

        string problem = Assert.Single(StartupChecks.Check(Options, Facts(effective: some, bounding: Root)));

        Assert.StartsWith("missing capabilities: CAP_NET_RAW (opening the AF_XDP sockets), CAP_BPF (loading the XDP program and its maps), CAP_PERFMON (", problem);
        Assert.DoesNotContain("CAP_NET_ADMIN (", problem);
        Assert.Contains("root", problem);
        Assert.Contains("setcap", problem);
        Assert.Contains("AmbientCapabilities=", problem);
        Assert.DoesNotContain("bounding set", problem);
    }

    [Fact]
    public void Says_when_the_bounding_set_itself_excludes_a_capability()
    {
        CapabilitySet unit = CapabilitySet.Of(Capability.NetAdmin, Capability.NetRaw, Capability.Bpf, Capability.IpcLock);

        string problem = Assert.Single(StartupChecks.Check(Options, Facts(effective: unit)));

        Assert.Contains("CAP_PERFMON (the verifier", problem);
        Assert.Contains("CAP_PERFMON is outside this process's bounding set", problem);
    }

    [Fact]
    public void Cap_sys_admin_stands_in_for_bpf_and_perfmon()
    {
        CapabilitySet caps = CapabilitySet.Of(Capability.NetAdmin, Capability.NetRaw, Capability.SysAdmin, Capability.IpcLock);
        Assert.Empty(StartupChecks.Check(Options, Facts(effective: caps)));
    }

    [Fact]
    public void A_memlock_limit_too_small_for_the_umems_without_ipc_lock_is_refused()
    {
        CapabilitySet caps = Root.Except(CapabilitySet.Of(Capability.IpcLock));

        string problem = Assert.Single(StartupChecks.Check(Options, Facts(effective: caps, memlock: 8 << 20)));

        Assert.StartsWith("locked memory: the UMEMs need 32 MiB (2 queue(s) × 4096 frames × 4096 bytes), the memlock limit is 8192 KiB", problem);
        Assert.Contains("LimitMEMLOCK=infinity", problem);
        Assert.Empty(StartupChecks.Check(Options, Facts(effective: caps, memlock: 64 << 20)));
        Assert.Empty(StartupChecks.Check(Options, Facts(memlock: 8 << 20)));
    }

    [Fact]
    public void Privileges_are_not_checked_after_a_hand_over()
    {
        StartupFacts facts = Facts(effective: CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin), memlock: 0) with { HandedOver = true };
        Assert.Empty(StartupChecks.Check(Options, facts));
    }

    [Fact]
    public void A_missing_interface_is_the_only_interface_problem()
    {
        StartupFacts facts = Facts() with { Interface = null, InterfaceProblem = "there is no interface 'eth0' in this network namespace" };

        Assert.Equal(["there is no interface 'eth0' in this network namespace"], StartupChecks.Check(Options, facts));
    }

    [Fact]
    public void Queues_the_device_lacks_are_named()
    {
        string problem = Assert.Single(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 1500, 1, null))));

        Assert.StartsWith("--queues: eth0 has 1 RX queue(s) (0–0), there is no queue 1.", problem);
        Assert.Contains("ethtool -L eth0", problem);
        Assert.Empty(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 1500, 0, null)))); // the driver does not say
    }

    [Fact]
    public void An_interface_mtu_larger_than_a_frame_carries_says_to_lower_the_interfaces()
    {
        Assert.Equal(3566, StartupChecks.LargestMtu(new UmemOptions()));
        Assert.Empty(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 3566, 4, null))));

        string problem = Assert.Single(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 9000, 4, null))));

        Assert.StartsWith("eth0's MTU 9000 is too large for a UMEM frame", problem);
        Assert.EndsWith("ip link set dev eth0 mtu 3566", problem);
    }

    [Fact]
    public void A_configured_mtu_above_the_interfaces_says_to_lower_the_configurations()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Minimal + "\nmtu: 1500\n");
        ForwarderOptions options = Options with { Config = config };

        string problem = Assert.Single(StartupChecks.Check(options, Facts(iface: new InterfaceFacts("eth0", 1400, 4, null))));

        Assert.Equal("the configuration's mtu 1500 exceeds eth0's MTU 1400: packets encapsulated up to that size could not be sent. " +
            "Lower mtu in the configuration file to at most 1400", problem);
        ForwarderConfig perInterface = TestConfigs.LoadValid(TestConfigs.Minimal.Replace("  name: eth0", "  name: eth0\n  mtu: 1450"));
        Assert.Contains("interface.mtu 1450", Assert.Single(StartupChecks.Check(Options with { Config = perInterface }, Facts(iface: new InterfaceFacts("eth0", 1400, 4, null)))));
    }

    [Fact]
    public void Another_program_attached_is_named_and_ours_is_not()
    {
        string problem = Assert.Single(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 1500, 4, new AttachedProgram(7, "xdp_filter")))));
        Assert.Equal("eth0 already has another XDP program attached ('xdp_filter', id 7). Remove it first (ip link set dev eth0 xdp off) if it is not needed", problem);

        string unnamed = Assert.Single(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 1500, 4, new AttachedProgram(8, "")))));
        Assert.Contains("cannot be read without CAP_SYS_ADMIN", unnamed);

        Assert.Empty(StartupChecks.Check(Options, Facts(iface: new InterfaceFacts("eth0", 1500, 4, new AttachedProgram(9, RedirectProgram.KernelName)))));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        StartupFacts facts = Facts(effective: CapabilitySet.None, memlock: 0, iface: new InterfaceFacts("eth0", 9000, 1, new AttachedProgram(7, "other")));

        Assert.Equal(5, StartupChecks.Check(Options, facts).Count);
    }
}
