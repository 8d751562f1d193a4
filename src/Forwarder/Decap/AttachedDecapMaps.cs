using System.Net;
using AfXdp;

namespace Forwarder.Decap;

/// <summary>
/// The maps of a decap program already attached by an earlier process, reached through the
/// program itself (its map ids): nothing is pinned, so there is no state on bpffs to go stale
/// and same-named interfaces of different network namespaces never meet.
/// </summary>
internal sealed class AttachedDecapMaps : IDisposable
{
    private readonly XdpProgram _program;
    private readonly BpfMap _config;
    private readonly BpfMap _destinations;
    private readonly BpfMap _counters;

    private AttachedDecapMaps(XdpProgram program, BpfMap config, BpfMap destinations, BpfMap counters)
    {
        _program = program;
        _config = config;
        _destinations = destinations;
        _counters = counters;
    }

    public static AttachedDecapMaps Open(InterfaceXdpProgram program)
    {
        XdpProgram taken = XdpProgram.FromId(program.Id);
        try
        {
            return new AttachedDecapMaps(taken, Map(taken, DecapProgram.ConfigMap), Map(taken, DecapProgram.DestinationsMap), Map(taken, DecapProgram.CountersMap));
        }
        catch
        {
            taken.Dispose();
            throw;
        }

        BpfMap Map(XdpProgram owner, string name) => owner.TryGetMap(name, out BpfMap? map)
            ? map
            : throw new InvalidOperationException($"program {program.Id} ({program.Name}) has no '{name}' map: it is not this version's decap program");
    }

    public DecapSettings ReadSettings() => _config.Lookup<uint, DecapSettings>(0u);

    public IReadOnlyList<IPAddress> ReadDestinations() =>
        _destinations.Keys<DecapDestinationKey>(DecapProgram.MaxDestinations).Select(key => key.ToAddress()).ToArray();

    public DecapCounters ReadCounters() => new(
        Sum(DecapCounterSlot.DecapsulatedIpip), Sum(DecapCounterSlot.DecapsulatedGue), Sum(DecapCounterSlot.NotAccepted),
        Sum(DecapCounterSlot.Unsupported), Sum(DecapCounterSlot.Passed), Sum(DecapCounterSlot.Malformed));

    private ulong Sum(DecapCounterSlot slot) => _counters.SumPerCpu((uint)slot);

    /// <summary>Closes this process's descriptors; the program stays attached.</summary>
    public void Dispose() => _program.Dispose();
}
