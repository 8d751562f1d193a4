using System.Runtime.Versioning;
using Forwarder.Tests.Cli;

namespace Forwarder.Tests.Liveness;

/// <summary>
/// <c>forwarder run --liveness-device/--drain-quiet/--drain-max/--no-drain/--watchdog-stall</c>: bad values are usage errors (exit 2)
/// naming what to fix, before any device is touched. The interface named does not exist, so a run that got past the
/// options stops at start-up (exit 1) without creating anything.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LivenessRunOptionTests
{
    private const string AbsentInterface = "fwt-absent1";

    [Theory]
    [InlineData("--drain-quiet", "1")]
    [InlineData("--drain-max", "5")]
    [InlineData("--no-drain")]
    public void Drain_options_without_a_liveness_device_are_refused(params string[] options)
    {
        (int exitCode, string errors) = Run(options);

        Assert.True(exitCode == 2, errors);
        Assert.Contains($"{options[0]} shapes the drain of the liveness device: give --liveness-device NAME", errors);
    }

    [Fact]
    public void A_watchdog_stall_without_a_liveness_device_is_refused()
    {
        (int exitCode, string errors) = Run("--watchdog-stall", "300ms");

        Assert.True(exitCode == 2, errors);
        Assert.Contains("--watchdog-stall sets when the watchdog withdraws the liveness device: give --liveness-device NAME", errors);
    }

    [Theory]
    [InlineData("abcdefghijklmnopq", "1 to 15 characters")]
    [InlineData("fwd0 --watchdog-stall 200", "--watchdog-stall '200': give a whole number with a unit ms, s, m or h, e.g. 500ms or 2s, from 10ms to 1m (default 200ms)")]
    [InlineData("fwd0 --watchdog-stall 5ms", "--watchdog-stall '5ms': give")]
    [InlineData("fwd0 --watchdog-stall 2m", "--watchdog-stall '2m': give")]
    [InlineData("fwd/0", "letters, digits")]
    [InlineData("fwd0 --drain-quiet 0", "--drain-quiet 0: give a number of seconds above 0")]
    [InlineData("fwd0 --drain-quiet -3", "--drain-quiet -3")]
    [InlineData("fwd0 --drain-max NaN", "--drain-max NaN")]
    [InlineData("fwd0 --drain-quiet 10 --drain-max 5", "shorter than --drain-quiet")]
    public void Bad_liveness_values_are_refused(string options, string expected)
    {
        (int exitCode, string errors) = Run(["--liveness-device", .. options.Split(' ')]);

        Assert.True(exitCode == 2, errors);
        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Good_liveness_options_pass_and_nothing_is_created_when_start_up_fails()
    {
        (int exitCode, string errors) = Run("--liveness-device", "fwtabsent9", "--drain-quiet", "0.5", "--drain-max", "3", "--no-drain", "--watchdog-stall", "500ms");

        Assert.True(exitCode == 1, errors); // stopped by the missing interface, not by the options
        Assert.Contains(AbsentInterface, errors);
        Assert.False(Directory.Exists("/sys/class/net/fwtabsent9"));
    }

    [Fact]
    public void With_an_announce_section_another_liveness_device_name_is_refused()
    {
        (int exitCode, string errors) = RunWithAnnounce("--liveness-device", "fwdother0");

        Assert.True(exitCode == 2, errors);
        Assert.Contains("--liveness-device fwdother0 differs from announce.liveness_device fwdcfg0", errors);
    }

    [Fact]
    public void With_an_announce_section_the_drain_options_need_no_liveness_device_flag()
    {
        (int exitCode, string errors) = RunWithAnnounce("--drain-quiet", "1", "--no-drain", "--watchdog-stall", "1s");

        Assert.True(exitCode == 1, errors); // stopped by the missing interface, not by the options
        Assert.Contains(AbsentInterface, errors);
    }

    /// <summary>forwarder run --config with an announce section naming liveness device fwdcfg0.</summary>
    private static (int ExitCode, string Errors) RunWithAnnounce(params string[] options)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("forwarder-liveness-");
        try
        {
            string config = Path.Combine(directory.FullName, "forwarder.yaml");
            File.WriteAllText(config, Forwarder.Tests.Api.ApiConfigs.Base.Replace("name: eth0", $"name: {AbsentInterface}", StringComparison.Ordinal) +
                "announce:\n  liveness_device: fwdcfg0\n");
            return Start(["run", "--config", config, "--api", "none", "--keep-capabilities", .. options]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Errors) Run(params string[] options) =>
        Start(["run", "--iface", AbsentInterface, "--vip", "10.100.0.1:80/tcp", "--next-hop-mac", "02:00:00:00:00:01", "--keep-capabilities", .. options]);

    private static (int ExitCode, string Errors) Start(string[] arguments) => ForwarderExecutable.Run(arguments);
}
