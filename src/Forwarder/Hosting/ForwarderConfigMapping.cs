using Forwarder.Configuration;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>
/// Turns a configuration into the <see cref="ForwarderOptions"/> that <c>forwarder run</c> starts with.
/// Tuning the file does not cover (UMEM, sockets, worker loop, stats, BPF object) keeps its defaults:
/// callers override it with <c>with { ... }</c>.
/// </summary>
public static class ForwarderConfigMapping
{
    public static ForwarderOptions ToForwarderOptions(ForwarderConfig config) => new()
    {
        Interface = config.Interface.Name,
        Queues = Assignments(config.Interface.Queues, config.Interface.Cores),
        Vips = config.Vips.Select(VipSpec.Of).ToArray(),
        NextHopMac = config.RouterMac.GetAddressBytes(),
        XdpMode = config.Interface.XdpMode,
        Config = config,
    };

    /// <summary>Each queue with its core (the reader checked they pair up), by index: a LINQ Zip over ints was JIT-compiled on every start.</summary>
    private static QueueAssignment[] Assignments(EquatableArray<int> queues, EquatableArray<int> cores)
    {
        var assignments = new QueueAssignment[Math.Min(queues.Count, cores.Count)];
        for (int i = 0; i < assignments.Length; i++)
            assignments[i] = new QueueAssignment(queues[i], cores[i]);
        return assignments;
    }
}
