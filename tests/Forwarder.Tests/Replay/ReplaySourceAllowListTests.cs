using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Replay;

/// <summary><c>forwarder replay</c> under a VIP with <c>allowed_sources</c>: the allowed client's frames go out, the others are counted as <c>source_not_allowed</c>.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReplaySourceAllowListTests : IDisposable
{
    private const string Vip = "10.100.0.1";

    private readonly ReplayWorkspace _workspace = new ReplayWorkspace().WithConfig(ConfigBuilder.WithoutVips()
        .Vip(Vip, 80, "tcp", v => v.AllowedSources("192.168.1.0/24").Backends("10.0.0.1", "10.0.0.2"))
        .ToYaml());

    [Fact]
    public void A_source_outside_the_list_is_counted_by_name()
    {
        _workspace.WithInput(PcapFiles.OfFrames(
            FrameBuilder.Ipv4("192.168.1.1", Vip).Tcp(1000, 80).Build(),
            FrameBuilder.Ipv4("192.168.2.1", Vip).Tcp(1000, 80).Build(),
            FrameBuilder.Ipv4("192.168.1.200", Vip).Tcp(1001, 80).Build()));

        ReplayOutcome outcome = _workspace.Run(ownMac: "02:00:00:00:00:0a");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        JsonElement json = outcome.Json;
        Assert.Equal(2, json.GetProperty("transmitted").GetInt64());
        Assert.Equal(1, json.GetProperty("dropped").GetInt64());
        Assert.Equal(1, json.GetProperty("drops").GetProperty("source_not_allowed").GetInt64());
    }

    public void Dispose() => _workspace.Dispose();
}
