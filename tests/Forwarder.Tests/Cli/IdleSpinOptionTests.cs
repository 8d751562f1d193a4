using System.Runtime.Versioning;

namespace Forwarder.Tests.Cli;

/// <summary><c>forwarder run --idle-spin-us</c> out of its range is refused before anything is set up, naming the option and the range.</summary>
[SupportedOSPlatform("linux")]
public sealed class IdleSpinOptionTests
{
    [Theory]
    [InlineData("--idle-spin-us=-1", "--idle-spin-us -1: give 0 to 100000")]
    [InlineData("--idle-spin-us=100001", "--idle-spin-us 100001: give 0 to 100000")]
    public void A_span_out_of_range_is_a_usage_error_that_names_the_range(string option, string message)
    {
        (int exitCode, string output) = ForwarderExecutable.Run(
            "run", "--iface", "fwd-none0", "--queues", "0", "--cores", "0", "--vip", "10.100.0.1:80/udp", "--next-hop-mac", "02:00:00:00:00:01", option);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }
}
