namespace Forwarder.Decap;

/// <summary>Names that tie bpf/decap.c to the code that loads and inspects it.</summary>
public static class DecapProgram
{
    /// <summary>The program's function name; short enough that the kernel reports it whole.</summary>
    public const string KernelName = "xdp_decap";

    internal const string ConfigMap = "config";
    internal const string DestinationsMap = "destinations";
    internal const string CountersMap = "counters";
    internal const int MaxDestinations = 1024; // decap.c MAX_DESTINATIONS

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "decap.o");
}
