namespace Forwarder.Health.ViaVip;

/// <summary>The slots of bpf/healthcheck.c's <c>probe_counters</c> (<c>enum counter</c>), one per verdict.</summary>
public enum ProbeCounterSlot : uint
{
    /// <summary>Probe packets encapsulated in IP.</summary>
    Ipip = 0,

    /// <summary>Probe packets encapsulated in UDP (GUE).</summary>
    Gue,

    /// <summary>Probe packets sent to the backend's MAC.</summary>
    DsrL2,

    /// <summary>Dropped: a probe mark with no entry.</summary>
    NoTarget,

    /// <summary>Dropped: not IP, or not the backend's family.</summary>
    WrongFamily,

    /// <summary>Dropped: no room for the outer headers.</summary>
    Failed,
}
