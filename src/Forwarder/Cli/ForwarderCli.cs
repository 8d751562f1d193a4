using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>The <c>forwarder</c> command line: one subcommand per operator task.</summary>
public static class ForwarderCli
{
    private const int UsageError = 2;

    public static int Run(string[] args)
    {
        ParseResult parsed = Create().Parse(args);
        int exitCode = parsed.Invoke();
        // A malformed command line (an unknown option, a required one missing) exits as the commands' own usage errors do.
        return parsed.Errors.Count > 0 ? UsageError : exitCode;
    }

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Forwarder: an AF_XDP L4 load balancer. Steers VIP traffic from an interface into AF_XDP sockets and " +
            $"forwards it from per-queue worker threads pinned to cores. `run` needs {Hosting.Privileges.PrivilegeNeeds.Summary}.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(DecapCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(FlowCommand.Create());
        root.Subcommands.Add(FlowsCommand.Create());
        root.Subcommands.Add(VipCommand.Create());
        root.Subcommands.Add(BackendCommand.Create());
        root.Subcommands.Add(ReloadCommand.Create());
        root.Subcommands.Add(CaptureCommand.Create());
        root.Subcommands.Add(PeersCommand.Create());
        root.Subcommands.Add(DrainCommand.Create());
        root.Subcommands.Add(UpgradeCommand.Create());
        return root;
    }
}
