using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>
/// The CPUs an upgrade's successor checks its workers' cores against: its own, with those its predecessor could use as
/// <c>FORWARDER_UPGRADE_CPUS</c> names them; a value that is not a list of CPUs changes nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartupIsolationTests
{
    [Theory]
    [InlineData("0,1,3", "0,1,3")]
    [InlineData("1,3", "0,1,3")]
    [InlineData(null, "0")]
    [InlineData("", "0")]
    [InlineData("0,x", "0")]
    [InlineData("-1", "0")]
    [InlineData("0,,1", "0")]
    [InlineData("99999", "0")]
    [InlineData(" 1", "0")]
    public void The_predecessors_cpus_count_beside_the_own(string? named, string expected) =>
        Assert.Equal(expected, string.Join(',', StartupIsolation.AllowedCpus(named, [0])));

    [Fact]
    public void A_start_up_says_where_it_runs() =>
        Assert.Equal("on every core (no core is free of workers), at the normal priority (lowering it needs CAP_SYS_NICE or an RLIMIT_NICE of 20 to undo it)",
            StartupIsolation.Describe(null, niced: false));
}
