using System.Runtime.Versioning;
using Forwarder.Tests.Cli;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>forwarder run --flow-table-max-new-per-second</c>: a bad value, or the option without <c>--flow-table</c>, is a usage
/// error (exit 2) naming what to fix, before any device is touched; a good one passes the options (the absent interface
/// of the configuration then stops the start, exit 1).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RunFlowTableOptionTests : IDisposable
{
    private const string AbsentInterface = "fwt-absent1";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-run-");

    [Theory]
    [InlineData("-1", "new connections per second must be from 0 (no limit) to 1000000000, not -1")]
    [InlineData("1000000001", "not 1000000001")]
    public void A_bad_limit_is_a_usage_error_naming_it(string limit, string expected)
    {
        (int exitCode, string errors) = Run("--flow-table", "1024", "--flow-table-max-new-per-second", limit);
        Assert.True(exitCode == 2, errors);
        Assert.Contains(expected, errors);
    }

    [Fact]
    public void The_limit_without_a_table_is_a_usage_error()
    {
        (int exitCode, string errors) = Run("--flow-table-max-new-per-second", "1000");
        Assert.True(exitCode == 2, errors);
        Assert.Contains("give --flow-table ENTRIES with it", errors);
    }

    [Fact]
    public void A_good_limit_passes_the_options()
    {
        (int exitCode, string errors) = Run("--flow-table", "1024", "--flow-table-max-new-per-second", "1000");
        Assert.True(exitCode == 1, errors);
        Assert.Contains(AbsentInterface, errors);
    }

    private (int ExitCode, string Errors) Run(params string[] options)
    {
        string config = Path.Combine(_directory.FullName, "forwarder.yaml");
        File.WriteAllText(config, ConfigBuilder.Standard().Interface(AbsentInterface).ToYaml());
        return ForwarderExecutable.Run(["run", "--config", config, "--keep-capabilities", "--api", "none", .. options]);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
