namespace Forwarder.Hosting.Privileges;

/// <summary>Which capabilities <c>forwarder run</c> needs to set up, and which it still needs once set up.</summary>
public static class PrivilegeNeeds
{
    /// <summary>
    /// Needed for set-up, each with what needs it. CAP_PERFMON: the verifier accepts the redirect program's
    /// variable-offset packet pointer arithmetic only with it ("pointer arithmetic ... prohibited for !root").
    /// CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON, as the kernel allows.
    /// </summary>
    public static readonly (Capability Capability, string Why)[] SetUp =
    [
        (Capability.NetRaw, "opening the AF_XDP sockets"),
        (Capability.Bpf, "loading the XDP program and its maps"),
        (Capability.Perfmon, "the verifier accepting the XDP program's packet pointer arithmetic"),
        (Capability.NetAdmin, "creating the XSKMAP and attaching the XDP program"),
    ];

    /// <summary>
    /// Kept after set-up. CAP_BPF: live VIP and backend changes update the program's maps, and counters are read
    /// from them (bpf() needs it while kernel.unprivileged_bpf_disabled is set). CAP_NET_ADMIN: shutdown detaches
    /// the XDP program, the liveness device (--liveness-device) is set up and down, and --busy-poll sets SO_PREFER_BUSY_POLL, SO_BUSY_POLL and SO_BUSY_POLL_BUDGET on the
    /// sockets once they are bound.
    /// </summary>
    public static readonly CapabilitySet Running = CapabilitySet.Of(Capability.Bpf, Capability.NetAdmin);

    /// <summary>Everything set-up may use (the memory ones are alternatives to a large memlock limit).</summary>
    public static readonly CapabilitySet SetUpAtMost = CapabilitySet.Of(
        Capability.NetRaw, Capability.Bpf, Capability.Perfmon, Capability.NetAdmin, Capability.IpcLock,
        Capability.SysResource, Capability.SetPcap, Capability.NetBindService);

    /// <summary>
    /// What <c>forwarder run</c> needs ("root, or ..."), for its help: every set-up capability, the locked-memory
    /// one, and what it keeps after the re-exec. Made from the lists above, so that the help cannot drift from the checks.
    /// </summary>
    public static string Summary =>
        $"root, or {And([.. SetUpNames(), CapabilitySet.NameOf(Capability.IpcLock)])} " +
        $"(or, for {CapabilitySet.NameOf(Capability.IpcLock)}, a memlock limit that holds the UMEMs); with {CapabilitySet.NameOf(Capability.SetPcap)} " +
        $"it re-executes itself once set up, holding only {RunningNames}";

    /// <summary>The capabilities kept after set-up, e.g. "CAP_NET_ADMIN and CAP_BPF".</summary>
    public static string RunningNames => And(Running.CapabilityNames());

    // Built on every start (the command line's help): plain loops, as LINQ over the value tuples would be JIT-compiled.
    private static string[] SetUpNames()
    {
        var names = new string[SetUp.Length];
        for (int i = 0; i < names.Length; i++)
            names[i] = CapabilitySet.NameOf(SetUp[i].Capability);
        return names;
    }

    private static string And(IReadOnlyList<string> all) =>
        all.Count <= 1 ? string.Concat(all) : $"{string.Join(", ", all.Take(all.Count - 1))} and {all[^1]}";

    /// <summary>The set-up capabilities <paramref name="effective"/> lacks (none once an exec'd successor took the sockets and the program over).</summary>
    /// <remarks>A plain loop: LINQ over value tuples is generic code no ReadyToRun image holds, JIT-compiled on every start.</remarks>
    public static (Capability Capability, string Why)[] MissingForSetUp(CapabilitySet effective)
    {
        var missing = new (Capability Capability, string Why)[SetUp.Length];
        int count = 0;
        for (int i = 0; i < SetUp.Length; i++)
        {
            if (!Holds(effective, SetUp[i].Capability))
                missing[count++] = SetUp[i];
        }
        return missing[..count];
    }

    private static bool Holds(CapabilitySet effective, Capability capability) =>
        effective.Contains(capability) ||
        (capability is Capability.Bpf or Capability.Perfmon && effective.Contains(Capability.SysAdmin));
}
