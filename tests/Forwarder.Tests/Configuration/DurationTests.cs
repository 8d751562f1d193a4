using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Durations in the configuration: a whole number and a unit, written back in the largest whole unit.</summary>
[SupportedOSPlatform("linux")]
public sealed class DurationTests
{
    [Theory]
    [InlineData("0ms", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    public void Parses(string text, long milliseconds) => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData(" 1s")]
    [InlineData("1S")]
    [InlineData("1d")]
    [InlineData("1e3ms")]
    [InlineData("999999999999h")]
    [InlineData("１s")]
    public void Refuses(string text) => Assert.Null(Duration.Parse(text));

    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(1500, "1500ms")]
    [InlineData(2000, "2s")]
    [InlineData(90_000, "90s")]
    [InlineData(120_000, "2m")]
    [InlineData(7_200_000, "2h")]
    public void Formats_in_the_largest_whole_unit(long milliseconds, string text)
    {
        Assert.Equal(text, Duration.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));
    }
}
