using System.CommandLine;

namespace TrafficGen.Cli;

/// <summary>Where the compiled XDP programs are: bpf/ next to the binary unless <c>--bpf-dir</c> says otherwise.</summary>
internal static class BpfDirectory
{
    public static Option<string> CreateOption() => new("--bpf-dir")
    {
        Description = "Directory holding trafficgen.o, xdp_drop.o and xdp_tx.o",
        DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "bpf"),
    };
}
