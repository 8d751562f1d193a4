using System.Runtime.Versioning;
using Forwarder.Tests.Cli;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>forwarder run</c> refuses an unsafe API set-up as a usage error (exit 2), before any device is touched:
/// a TCP address off loopback without a token, a socket path holding something else, a token file others can read.
/// The configuration names an interface that does not exist, so a run that got past the options stops at start-up.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RunApiOptionTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-run-");

    [Theory]
    [InlineData("10.0.0.5:9180")]
    [InlineData("0.0.0.0:9180")]
    [InlineData("[::]:9180")]
    public void A_tcp_address_off_loopback_without_a_token_is_refused(string api)
    {
        (int exitCode, string errors) = Run("--api", api);

        Assert.True(exitCode == 2, errors);
        Assert.Contains("not a loopback address", errors);
        Assert.Contains("give --api-token-file FILE", errors);
    }

    [Fact]
    public void A_tcp_address_off_loopback_with_a_token_passes_the_options()
    {
        string token = Path.Combine(_directory.FullName, "token");
        File.WriteAllText(token, "s3cret\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        (int exitCode, string errors) = Run("--api", "10.0.0.5:9180", "--api-token-file", token);

        Assert.True(exitCode == 1, errors); // stopped by the missing interface, not by the options
        Assert.Contains(AbsentInterface, errors);
    }

    [Fact]
    public void A_token_file_others_can_read_is_refused()
    {
        string token = Path.Combine(_directory.FullName, "token");
        File.WriteAllText(token, "s3cret\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        (int exitCode, string errors) = Run("--api-token-file", token);

        Assert.True(exitCode == 2, errors);
        Assert.Contains("other users may read it", errors);
    }

    [Fact]
    public void A_socket_path_that_is_a_regular_file_is_refused_and_the_file_kept()
    {
        string precious = Path.Combine(_directory.FullName, "forwarder.yaml.bak");
        File.WriteAllText(precious, "precious");

        (int exitCode, string errors) = Run("--api", $"unix:{precious}");

        Assert.True(exitCode == 2, errors);
        Assert.Contains($"{precious} is a regular file, not a socket", errors);
        Assert.Equal("precious", File.ReadAllText(precious));
    }

    private const string AbsentInterface = "fwt-absent0";

    private (int ExitCode, string Errors) Run(params string[] options)
    {
        string config = Path.Combine(_directory.FullName, "forwarder.yaml");
        File.WriteAllText(config, ConfigBuilder.Standard().Interface(AbsentInterface).ToYaml());
        return ForwarderExecutable.Run(["run", "--config", config, "--keep-capabilities", .. options]);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
