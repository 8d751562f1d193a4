namespace Forwarder.Decap;

/// <summary>decap.c's counters summed over CPUs.</summary>
public sealed record DecapCounters(
    ulong DecapsulatedIpip, ulong DecapsulatedGue, ulong NotAccepted, ulong Unsupported, ulong Passed, ulong Malformed)
{
    /// <summary>Name and value of each counter, in the order `forwarder decap status` prints them.</summary>
    public IEnumerable<(string Name, ulong Value)> Named() =>
    [
        ("decapsulated_ipip", DecapsulatedIpip),
        ("decapsulated_gue", DecapsulatedGue),
        ("not_accepted", NotAccepted),
        ("unsupported", Unsupported),
        ("passed", Passed),
        ("malformed", Malformed),
    ];
}
