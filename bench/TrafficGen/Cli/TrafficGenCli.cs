using System.CommandLine;

namespace TrafficGen.Cli;

/// <summary>The <c>trafficgen</c> command line: <c>send</c> offers traffic, <c>sink</c> receives and measures it.</summary>
public static class TrafficGenCli
{
    public static int Run(string[] args)
    {
        var root = new RootCommand(
            "Traffic generator for the forwarder's benchmarks: injects frames with an XDP program through BPF_PROG_RUN " +
            "in live-frames mode, and measures what arrives with counting XDP programs. Needs root.");
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(SinkCommand.Create());
        return root.Parse(args).Invoke();
    }
}
