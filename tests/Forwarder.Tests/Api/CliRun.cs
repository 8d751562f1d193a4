using System.CommandLine;
using System.Runtime.Versioning;
using Forwarder.Cli;

namespace Forwarder.Tests.Api;

/// <summary>Runs a <c>forwarder</c> command line as the program does, with its output and errors captured.</summary>
[SupportedOSPlatform("linux")]
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Errors)> Invoke(params string[] args)
    {
        var root = new RootCommand { StatusCommand.Create(), StatsCommand.Create(), VipCommand.Create(), BackendCommand.Create(), ReloadCommand.Create(), FlowCommand.Create(), FlowsCommand.Create(), DrainCommand.Create(), UpgradeCommand.Create() };
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exitCode, output.ToString(), errors.ToString());
    }
}
