namespace Forwarder.Health.ViaVip;

/// <summary>The probe program's counters, by verdict, summed over CPUs (a reading for <c>/metrics</c>).</summary>
public sealed record ProbeCounters(IReadOnlyDictionary<ProbeCounterSlot, ulong> ByVerdict)
{
    /// <summary>The verdict's name in metrics: <c>ipip</c>, <c>gue</c>, <c>dsr_l2</c>, <c>no_target</c>, <c>wrong_family</c>, <c>failed</c>.</summary>
    public static string Name(ProbeCounterSlot slot) => slot switch
    {
        ProbeCounterSlot.Ipip => "ipip",
        ProbeCounterSlot.Gue => "gue",
        ProbeCounterSlot.DsrL2 => "dsr_l2",
        ProbeCounterSlot.NoTarget => "no_target",
        ProbeCounterSlot.WrongFamily => "wrong_family",
        _ => "failed",
    };
}
