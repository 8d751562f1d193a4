using System.CommandLine;

namespace Forwarder.Cli;

/// <summary>The <c>forwarder</c> command line: one subcommand per operator task.</summary>
public static class ForwarderCli
{
    public static int Run(string[] args) => Create().Parse(args).Invoke();

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
        root.Subcommands.Add(VipCommand.Create());
        root.Subcommands.Add(BackendCommand.Create());
        root.Subcommands.Add(ReloadCommand.Create());
        return root;
    }
}
