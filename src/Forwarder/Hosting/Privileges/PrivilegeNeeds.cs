namespace Forwarder.Hosting.Privileges;

/// <summary>Which capabilities <c>forwarder run</c> needs to set up, and which it still needs once set up.</summary>
public static class PrivilegeNeeds
{
    /// <summary>
    /// Needed for set-up, each with what needs it. CAP_PERFMON: the verifier accepts the redirect program's
    /// variable-offset packet pointer arithmetic only with it ("pointer arithmetic ... prohibited for !root").
    /// CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON, as the kernel allows.
    /// </summary>
    public static readonly IReadOnlyList<(Capability Capability, string Why)> SetUp =
    [
        (Capability.NetRaw, "opening the AF_XDP sockets"),
        (Capability.Bpf, "loading the XDP program and its maps"),
        (Capability.Perfmon, "the verifier accepting the XDP program's packet pointer arithmetic"),
        (Capability.NetAdmin, "creating the XSKMAP and attaching the XDP program"),
    ];

    /// <summary>
    /// Kept after set-up. CAP_BPF: live VIP and backend changes update the program's maps, and counters are read
    /// from them (bpf() needs it while kernel.unprivileged_bpf_disabled is set). CAP_NET_ADMIN: shutdown detaches
    /// the XDP program, and --busy-poll sets SO_PREFER_BUSY_POLL, SO_BUSY_POLL and SO_BUSY_POLL_BUDGET on the
    /// sockets once they are bound.
    /// </summary>
    public static readonly CapabilitySet Running = CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin);

    /// <summary>Everything set-up may use (the memory ones are alternatives to a large memlock limit).</summary>
    public static readonly CapabilitySet SetUpAtMost = CapabilitySet.Of(
        Capability.NetRaw, Capability.Bpf, Capability.Perfmon, Capability.NetAdmin, Capability.IpcLock,
        Capability.SysResource, Capability.SetPcap, Capability.NetBindService);

    /// <summary>The set-up capabilities <paramref name="effective"/> lacks (none once an exec'd successor took the sockets and the program over).</summary>
    public static IReadOnlyList<(Capability Capability, string Why)> MissingForSetUp(CapabilitySet effective) =>
        SetUp.Where(need => !Holds(effective, need.Capability)).ToArray();

    private static bool Holds(CapabilitySet effective, Capability capability) =>
        effective.Contains(capability) ||
        (capability is Capability.Bpf or Capability.Perfmon && effective.Contains(Capability.SysAdmin));
}
