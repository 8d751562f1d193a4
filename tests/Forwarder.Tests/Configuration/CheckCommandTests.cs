using System.Runtime.Versioning;
using Forwarder.Cli;

namespace Forwarder.Tests.Configuration;

/// <summary><c>forwarder check</c>'s answers: exit codes as <c>replay</c>'s (0 valid, 1 refused, 2 a bad command line), and words that fit a check.</summary>
[SupportedOSPlatform("linux")]
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_refused_file_exits_1_and_is_not_said_to_leave_anything_unchanged()
    {
        File.WriteAllText(_path, TestConfigs.Minimal.Replace("10.0.0.1", "10.0.0.300", StringComparison.Ordinal));
        var errors = new StringWriter();

        int exitCode = CheckCommand.Check(_path, againstThisMachine: false, new StringWriter(), errors);

        Assert.Equal(1, exitCode);
        Assert.EndsWith($"{_path}: refused (1 error(s))\n", errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("changed", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_read_exits_1()
    {
        File.Delete(_path);
        Assert.Equal(1, CheckCommand.Check(_path, againstThisMachine: false, new StringWriter(), new StringWriter()));
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "--config", "forwarder.yaml", "--no-such-option")]
    public void A_bad_command_line_exits_2(params string[] args)
    {
        Assert.Equal(2, ForwarderCli.Run(args));
    }
}
