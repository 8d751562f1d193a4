using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;

namespace Forwarder.Tests.Configuration;

/// <summary>A VIP's <c>flow_table</c>: remember by default, bypass when asked, a clear error for anything else, written back as read.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipFlowTableConfigTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_vip_remembers_by_default_and_bypasses_when_asked()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude +
            "  - address: 10.100.0.1\n    backends: [{address: 10.0.0.1}]\n" +
            "  - address: 10.100.0.2\n    flow_table: bypass\n    backends: [{address: 10.0.0.1}]\n");
        Assert.Equal(VipFlowTable.Remember, config.Vips[0].FlowTable);
        Assert.Equal(VipFlowTable.Bypass, config.Vips[1].FlowTable);

        var snapshot = SnapshotBuilder.Build(config, LoadBalancerConfigs.OwnMac, workerCount: 1).Snapshot;
        Assert.False(snapshot.Vips[0].FlowTableBypass);
        Assert.True(snapshot.Vips[1].FlowTableBypass);
    }

    [Fact]
    public void The_writer_spells_it_out_and_reading_it_back_gives_the_same_vips()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude +
            "  - address: 10.100.0.2\n    flow_table: bypass\n    backends: [{address: 10.0.0.1}]\n");
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains("    flow_table: bypass\n", written, StringComparison.Ordinal);
        Assert.Equal(config.Vips, TestConfigs.LoadValid(written).Vips);
        Assert.Contains("    flow_table: remember\n", ForwarderConfigWriter.Write(TestConfigs.LoadValid(TestConfigs.Minimal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bypas")]
    [InlineData("yes")]
    [InlineData("[bypass]")]
    public void A_bad_value_is_an_error_naming_the_choices(string value)
    {
        ConfigLoadResult result = TestConfigs.WithVips($"  - address: 10.100.0.1\n    flow_table: {value}\n    backends: []\n");
        ConfigDiagnostic error = TestConfigs.AssertOnlyError(result, "vips[0].flow_table", 6, 17, "");
        Assert.Contains("remember, bypass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forwarder_check_refuses_a_bad_value_and_names_the_field()
    {
        File.WriteAllText(_path, TestConfigs.Prelude + "  - address: 10.100.0.1\n    flow_table: off\n    backends: []\n");
        var errors = new StringWriter();
        Assert.Equal(1, CheckCommand.Check(_path, againstThisMachine: false, new StringWriter(), errors));
        Assert.Contains("vips[0].flow_table", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("remember, bypass", errors.ToString(), StringComparison.Ordinal);
    }
}
