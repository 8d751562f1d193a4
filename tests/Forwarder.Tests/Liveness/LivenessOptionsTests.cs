using System.Runtime.Versioning;
using Forwarder.Liveness;

namespace Forwarder.Tests.Liveness;

/// <summary>The liveness options: a device name the kernel takes, drain times that make sense.</summary>
[SupportedOSPlatform("linux")]
public sealed class LivenessOptionsTests
{
    [Theory]
    [InlineData("fwd0")]
    [InlineData("fwd-live_1.a")]
    [InlineData("abcdefghijklmno")]
    public void A_usable_device_name_passes(string name) =>
        Assert.Empty(new LivenessOptions { DeviceName = name }.Validate());

    [Theory]
    [InlineData("", "1 to 15 characters")]
    [InlineData("abcdefghijklmnop", "1 to 15 characters")]
    [InlineData("fwd/0", "letters, digits")]
    [InlineData("fwd 0", "letters, digits")]
    [InlineData("fwd:0", "letters, digits")]
    [InlineData("fwd\n0", "letters, digits")]
    [InlineData("fwdé", "letters, digits")]
    [InlineData("..", "letters, digits")]
    public void An_unusable_device_name_is_refused_with_what_to_give(string name, string expected)
    {
        string problem = Assert.Single(new LivenessOptions { DeviceName = name }.Validate());
        Assert.Contains(expected, problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void A_maximum_shorter_than_the_quiet_time_is_refused()
    {
        var options = new LivenessOptions { DeviceName = "fwd0", DrainQuiet = TimeSpan.FromSeconds(5), DrainMax = TimeSpan.FromSeconds(2) };
        Assert.Contains("shorter than --drain-quiet", Assert.Single(options.Validate()));
    }

    [Fact]
    public void The_defaults_are_those_of_the_design()
    {
        var options = new LivenessOptions { DeviceName = "fwd0" };
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.WatchdogStall);
        Assert.Equal(TimeSpan.FromSeconds(1), options.WatchdogRecovery);
        Assert.True(options.DrainOnStop);
        Assert.Empty(options.Validate());
    }
}
