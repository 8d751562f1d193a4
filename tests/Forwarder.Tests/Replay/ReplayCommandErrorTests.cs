using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Replay;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Replay.ReplayConfigs;

namespace Forwarder.Tests.Replay;

/// <summary>Bad options exit 2, a bad configuration or capture exits 1; each says why, and no partial output is left behind.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayCommandErrorTests : IDisposable
{
    private static readonly byte[] Flow = FrameBuilder.Ipv4(Client, IpipVip).Tcp(1000, 80).Build();
    private readonly ReplayWorkspace _workspace = new ReplayWorkspace().WithConfig(IpipAndNat).WithInput(PcapFiles.OfFrames(Flow, Flow));

    [Fact]
    public void A_refused_configuration_is_reported_like_check_does_and_nothing_is_replayed()
    {
        _workspace.WithConfig(TestConfigs.Prelude + "  - address: 10.100.0.300\n    backends: []\n");

        ReplayOutcome outcome = _workspace.Run();

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"{_workspace.ConfigPath}: vips[0].address (line 5, col 14): ", outcome.Errors);
        Assert.EndsWith($"{_workspace.ConfigPath}: refused (1 error(s)); nothing was replayed\n", outcome.Errors);
        Assert.Equal("", outcome.Output);
        Assert.False(File.Exists(_workspace.OutputPath));
    }

    [Fact]
    public void A_capture_cut_short_names_the_record_and_its_offset_and_leaves_no_output()
    {
        _workspace.WithInput(PcapFiles.OfFrames(Flow, Flow)[..^3]);

        ReplayOutcome outcome = _workspace.Run();

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(
            $"forwarder replay: {_workspace.InputPath}: record 2 at offset {24 + 16 + Flow.Length}: the file ends inside the frame ({Flow.Length - 3} of {Flow.Length} bytes)\n" +
            $"forwarder replay: nothing was written to {_workspace.OutputPath}\n", outcome.Errors);
        Assert.False(File.Exists(_workspace.OutputPath));
    }

    [Fact]
    public void A_capture_of_another_link_type_is_refused_by_name()
    {
        _workspace.WithInput(PcapFiles.Classic([], linkType: 101));

        ReplayOutcome outcome = _workspace.Run();

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal($"forwarder replay: {_workspace.InputPath}: link type 101 (RAW), not supported: replay reads Ethernet captures (link type 1) only\n", outcome.Errors);
        Assert.False(File.Exists(_workspace.OutputPath));
    }

    [Fact]
    public void A_missing_capture_cannot_be_read()
    {
        File.Delete(_workspace.InputPath);

        ReplayOutcome outcome = _workspace.Run();

        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith($"forwarder replay: cannot read {_workspace.InputPath}: ", outcome.Errors);
    }

    [Theory]
    [InlineData("02:00:00:00:00", 64, "forwarder replay: --own-mac '02:00:00:00:00' is not a MAC address like 02:00:00:00:00:01\n")]
    [InlineData(ReplayRequest.DefaultOwnMac, 0, "forwarder replay: --batch 0: give 1 to 256\n")]
    [InlineData(ReplayRequest.DefaultOwnMac, 257, "forwarder replay: --batch 257: give 1 to 256\n")]
    public void Bad_options_are_usage_errors(string ownMac, int batchSize, string message)
    {
        ReplayOutcome outcome = _workspace.Run(ownMac, batchSize);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(message, outcome.Errors);
    }

    [Fact]
    public void Writing_over_the_capture_being_read_is_a_usage_error()
    {
        ReplayOutcome outcome = ReplayWorkspace.Run(new ReplayRequest(_workspace.ConfigPath, _workspace.InputPath, _workspace.InputPath + "/../in.pcap"));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"forwarder replay: --in and --out are the same file ({_workspace.InputPath}): the capture would be overwritten\n", outcome.Errors);
    }

    [Fact]
    public void The_command_line_knows_replay()
    {
        int exitCode = ForwarderCli.Run(["replay", "--config", _workspace.ConfigPath, "--in", _workspace.InputPath, "--out", _workspace.OutputPath, "--batch", "1"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(2, _workspace.Output().Count);
    }

    public void Dispose() => _workspace.Dispose();
}
