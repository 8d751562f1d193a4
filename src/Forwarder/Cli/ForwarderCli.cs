using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>The <c>forwarder</c> command line: one subcommand per operator task.</summary>
public static class ForwarderCli
{
    private const int UsageError = 2;

    public static int Run(string[] args)
    {
        var root = new RootCommand(
            "Forwarder: an AF_XDP L4 load balancer. Steers VIP traffic from an interface into AF_XDP sockets and " +
            "forwards it from per-queue worker threads pinned to cores. Needs root (CAP_NET_ADMIN, CAP_NET_RAW, CAP_BPF, CAP_IPC_LOCK).");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(DecapCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(VipCommand.Create());
        root.Subcommands.Add(BackendCommand.Create());
        root.Subcommands.Add(ReloadCommand.Create());
        ParseResult parsed = root.Parse(args);
        int exitCode = parsed.Invoke();
        // A malformed command line (an unknown option, a required one missing) exits as the commands' own usage errors do.
        return parsed.Errors.Count > 0 ? UsageError : exitCode;
    }
}
