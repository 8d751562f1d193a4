using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>nat replies are matched by their source, statelessly: one backend address, port and protocol may answer for one VIP only.</summary>
[SupportedOSPlatform("linux")]
public sealed class NatReplySourceTests
{
    [Fact]
    public void One_backend_port_serving_two_nat_vips_is_refused()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                protocol: tcp
                mode: nat
                backends:
                  - address: 10.0.0.1
                    port: 8080
              - address: 10.100.0.2
                port: 80
                protocol: tcp
                mode: nat
                backends:
                  - address: 10.0.0.1
                    port: 8080
            """);

        TestConfigs.AssertOnlyError(result, "vips[1].backends", 12, 5, "nat backend 10.0.0.1 port 8080 tcp also serves vips[0] (line 5)");
    }

    [Fact]
    public void The_same_backend_on_other_ports_or_protocols_is_fine()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                protocol: tcp
                mode: nat
                backends:
                  - address: 10.0.0.1
              - address: 10.100.0.2
                port: 80
                protocol: udp
                mode: nat
                backends:
                  - address: 10.0.0.1
              - address: 10.100.0.3
                port: 80
                protocol: tcp
                mode: nat
                backends:
                  - address: 10.0.0.1
                    port: 81
            """);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
    }
}
