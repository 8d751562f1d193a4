using System.Runtime.Versioning;
using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Hosting;

/// <summary>Whether the forwarder drops its capabilities and what it keeps.</summary>
[SupportedOSPlatform("linux")]
public class CapabilityPlanTests
{
    private static readonly CapabilitySet Root = TestCapabilities.Root;

    private static ProcessCapabilities Caps(CapabilitySet effective, CapabilitySet? bounding = null) => TestCapabilities.Thread(effective, bounding);

    [Fact]
    public void Root_drops_to_bpf_and_net_admin()
    {
        CapabilityPlan plan = CapabilityPlan.Decide(Caps(Root), keepRequested: false, privilegedApiPort: null);

        Assert.True(plan.ReExec);
        Assert.Equal(CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin), plan.Keep);
    }

    [Fact]
    public void An_api_on_a_privileged_port_keeps_net_bind_service()
    {
        CapabilityPlan plan = CapabilityPlan.Decide(Caps(Root), keepRequested: false, privilegedApiPort: 80);

        Assert.Equal(CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin, Capability.NetBindService), plan.Keep);
        Assert.Contains("port 80", plan.Why);
    }

    [Fact]
    public void Keep_capabilities_turns_the_drop_off()
    {
        CapabilityPlan plan = CapabilityPlan.Decide(Caps(Root), keepRequested: true, privilegedApiPort: null);

        Assert.False(plan.ReExec);
        Assert.Equal(Root, plan.Keep);
        Assert.Equal("--keep-capabilities", plan.Why);
    }

    [Fact]
    public void Without_setpcap_a_bounding_set_limited_to_set_up_is_kept_quietly()
    {
        var unit = CapabilitySet.Of(Capability.NetAdmin, Capability.NetRaw, Capability.Bpf, Capability.Perfmon, Capability.IpcLock);

        CapabilityPlan plan = CapabilityPlan.Decide(Caps(unit), keepRequested: false, privilegedApiPort: null);

        Assert.False(plan.ReExec);
        Assert.False(plan.Warn);
        Assert.Equal(unit, plan.Keep);
        Assert.Contains("CAP_SETPCAP", plan.Why);
    }

    [Fact]
    public void Without_setpcap_a_wider_bounding_set_is_kept_with_a_warning()
    {
        CapabilitySet effective = Root.Except(CapabilitySet.Of(Capability.SetPcap));

        CapabilityPlan plan = CapabilityPlan.Decide(Caps(effective), keepRequested: false, privilegedApiPort: null);

        Assert.False(plan.ReExec);
        Assert.True(plan.Warn);
        Assert.Contains("grant CAP_SETPCAP", plan.Why);
    }
}
