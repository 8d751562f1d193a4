using System.Runtime.Versioning;
using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Hosting;

/// <summary>Capability masks as /proc/PID/status writes them, and their names.</summary>
[SupportedOSPlatform("linux")]
public class CapabilitySetTests
{
    private const string RootStatus = """
        Name:	dotnet
        Umask:	0022
        State:	S (sleeping)
        Tgid:	4242
        CapInh:	0000000000000000
        CapPrm:	000001fffeffffff
        CapEff:	000001fffeffffff
        CapBnd:	000001fffeffffff
        CapAmb:	0000000000000000
        NoNewPrivs:	0
        """;

    private const string DroppedStatus = """
        Name:	dotnet
        CapInh:	0000000000000000
        CapPrm:	0000008000001000
        CapEff:	0000008000001000
        CapBnd:	0000008000001000
        CapAmb:	0000000000000000
        """;

    [Fact]
    public void Parses_every_set_of_a_status_file()
    {
        ProcessCapabilities caps = ProcessCapabilities.Parse(DroppedStatus);

        Assert.Equal(CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin), caps.Effective);
        Assert.Equal(caps.Effective, caps.Permitted);
        Assert.Equal(caps.Effective, caps.Bounding);
        Assert.True(caps.Inheritable.IsEmpty);
        Assert.True(caps.Ambient.IsEmpty);
    }

    [Fact]
    public void Names_capabilities_as_the_kernel_does_lowest_first()
    {
        CapabilitySet set = ProcessCapabilities.Parse(DroppedStatus).Effective;

        Assert.Equal(["CAP_NET_ADMIN", "CAP_BPF"], set.CapabilityNames());
        Assert.Equal("CAP_NET_ADMIN, CAP_BPF", set.ToString());
        Assert.Equal("none", CapabilitySet.None.ToString());
        Assert.Equal("CAP_41", CapabilitySet.NameOf(41));
    }

    [Fact]
    public void A_root_mask_without_cap_sys_resource_lacks_exactly_that()
    {
        ProcessCapabilities caps = ProcessCapabilities.Parse(RootStatus);

        Assert.Equal(40, caps.Effective.Numbers().Count());
        Assert.False(caps.Effective.Contains(Capability.SysResource));
        Assert.True(caps.Effective.Contains(Capability.SetPcap));
        Assert.Equal("CAP_CHECKPOINT_RESTORE", caps.Effective.CapabilityNames()[^1]);
    }

    [Fact]
    public void Set_operations_work_on_the_masks()
    {
        CapabilitySet running = CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin);
        CapabilitySet setUp = running.With(Capability.NetRaw).With(Capability.Perfmon);

        Assert.True(running.IsSubsetOf(setUp));
        Assert.False(setUp.IsSubsetOf(running));
        Assert.Equal(CapabilitySet.Of(Capability.NetRaw, Capability.Perfmon), setUp.Except(running));
        Assert.Equal(running, setUp.Intersect(running));
        Assert.Equal(setUp, running.Union(setUp));
    }

    [Theory]
    [InlineData("CapInh:\t0000000000000000\nCapPrm:\t0\nCapEff:\t0\n")]
    [InlineData("CapInh:\tzz\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n")]
    public void Refuses_a_status_text_without_a_readable_set(string text) =>
        Assert.Throws<FormatException>(() => ProcessCapabilities.Parse(text));
}
