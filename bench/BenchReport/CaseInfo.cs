namespace BenchReport;

/// <summary>The kernel baseline a case is compared with.</summary>
public enum Baseline
{
    None,

    /// <summary>Kernel XDP_TX (the tx case): the same path's forwarding limit, for the forwarding cases.</summary>
    XdpTx,

    /// <summary>Kernel XDP_DROP (the drop case): the receive-side limit, for lbrx and its C reference crx.</summary>
    XdpDrop,
}

/// <summary>What each bench/e2e.sh case measures, where its rate is counted and what it is compared with.</summary>
public static class CaseInfo
{
    public static string Describe(string name) => name switch
    {
        "drop" => "kernel XDP_DROP on the lb veth (baseline)",
        "tx" => "kernel XDP_TX hairpin back to the generator (baseline)",
        "fwd" => "forwarder, plain L2 forward, 1 queue",
        "fwd2q" => "forwarder, plain L2 forward, 2 queues",
        "lb" => "forwarder load balancing (ipip, Maglev), 1 queue",
        "lbrx" => "forwarder load balancing with --receive-only: received, balanced, rewritten, recycled to FILL, never sent (receive-side limit)",
        "crx" => "C reference for lbrx: a blind AF_XDP receiver in C (bench/CReference/rxdrop), placed as lbrx, every frame recycled to FILL unread",
        "lb2q" => "forwarder load balancing (ipip, Maglev), 2 queues",
        "upgrade" => "forwarder load balancing at a paced rate, upgraded in place during the windows (not a capacity figure)",
        _ when name.StartsWith("lb-f", StringComparison.Ordinal) => "forwarder load balancing, 1 queue, flow count varied",
        _ when name.StartsWith("lb-b", StringComparison.Ordinal) => "forwarder load balancing, 1 queue, backend count varied",
        _ => name,
    };

    /// <summary>
    /// The interface counter that gives a case's rate, at the end where its frames stop: l0's XDP_DROP verdicts for
    /// drop; for lbrx and crx what l0 placed on the receiving socket's RX ring (exactly the frames the receiver got:
    /// a redirect that finds the ring full or FILL empty fails and is counted under l0's drops instead); for every
    /// case that sends frames back, what arrived at g0.
    /// </summary>
    public static Quantity Delivered(string name) => name switch
    {
        "drop" => Quantity.XdpDropL0,
        "lbrx" or "crx" => Quantity.RedirectL0,
        _ => Quantity.BackAtG0,
    };

    /// <summary>lbrx and crx are compared with XDP_DROP (nothing goes back), the forwarding cases with XDP_TX.</summary>
    public static Baseline BaselineOf(string name) => name switch
    {
        "drop" or "tx" => Baseline.None,
        "lbrx" or "crx" => Baseline.XdpDrop,
        _ => Baseline.XdpTx,
    };

    /// <summary>crx: not the forwarder but plain C receiving in lbrx's place, the reference for its receive side.</summary>
    public static bool IsCReference(string name) => name == "crx";

    public static string Name(Baseline b) => b switch
    {
        Baseline.XdpTx => "xdp_tx",
        Baseline.XdpDrop => "xdp_drop",
        _ => "none",
    };
}
