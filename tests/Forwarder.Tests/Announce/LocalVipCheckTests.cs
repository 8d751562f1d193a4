using System.Net;
using System.Runtime.Versioning;
using Forwarder.Announce;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Announce;

/// <summary>Announcing refuses to start when a VIP is one of the node's own addresses, naming it.</summary>
[SupportedOSPlatform("linux")]
public sealed class LocalVipCheckTests
{
    private static readonly Forwarder.Configuration.ForwarderConfig Config = TestConfigs.LoadValid(TestConfigs.Minimal);

    [Fact]
    public void A_vip_on_an_interface_of_the_node_is_named_with_the_interface()
    {
        string? refused = LocalVipCheck.Check(Config.Vips, new Dictionary<IPAddress, string> { [IPAddress.Parse("10.100.0.1")] = "lo" });
        Assert.NotNull(refused);
        Assert.Contains("VIP 10.100.0.1:*/any is an address of this node (on lo)", refused, StringComparison.Ordinal);
        Assert.Contains("Remove 10.100.0.1 from lo", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void Vips_that_are_not_local_pass()
    {
        Assert.Null(LocalVipCheck.Check(Config.Vips, new Dictionary<IPAddress, string> { [IPAddress.Parse("10.100.0.2")] = "eth0" }));
        Assert.DoesNotContain(IPAddress.Parse("10.100.0.1"), LocalVipCheck.LocalAddresses().Keys);
        Assert.Contains(IPAddress.Loopback, LocalVipCheck.LocalAddresses().Keys);
    }
}
