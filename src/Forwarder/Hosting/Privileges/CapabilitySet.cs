using System.Globalization;

namespace Forwarder.Hosting.Privileges;

/// <summary>
/// A set of Linux capabilities as the kernel writes it in /proc/PID/status (a 64-bit hex mask, bit N =
/// capability N), named as the kernel names them (<c>CAP_NET_ADMIN</c>).
/// </summary>
public readonly record struct CapabilitySet(ulong Mask)
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    public static CapabilitySet None => default;

    public static CapabilitySet Of(params Capability[] capabilities)
    {
        ulong mask = 0;
        foreach (Capability capability in capabilities)
            mask |= 1UL << (int)capability;
        return new CapabilitySet(mask);
    }

    /// <summary>Parses a mask as /proc/PID/status writes it, e.g. <c>0000008000001000</c>.</summary>
    public static CapabilitySet Parse(string hex) =>
        ulong.TryParse(hex.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask)
            ? new CapabilitySet(mask)
            : throw new FormatException($"'{hex}' is not a capability mask");

    /// <summary>The kernel's name of capability <paramref name="number"/> (<c>CAP_41</c> for one newer than this list).</summary>
    public static string NameOf(int number) => number < Names.Length ? Names[number] : $"CAP_{number}";

    public static string NameOf(Capability capability) => NameOf((int)capability);

    public bool IsEmpty => Mask == 0;

    public bool Contains(Capability capability) => (Mask & (1UL << (int)capability)) != 0;

    public bool IsSubsetOf(CapabilitySet other) => (Mask & ~other.Mask) == 0;

    public CapabilitySet Union(CapabilitySet other) => new(Mask | other.Mask);

    public CapabilitySet Intersect(CapabilitySet other) => new(Mask & other.Mask);

    public CapabilitySet Except(CapabilitySet other) => new(Mask & ~other.Mask);

    public CapabilitySet With(Capability capability) => new(Mask | (1UL << (int)capability));

    /// <summary>The capability numbers in the set, lowest first.</summary>
    public IEnumerable<int> Numbers()
    {
        for (int bit = 0; bit < 64; bit++)
        {
            if ((Mask & (1UL << bit)) != 0)
                yield return bit;
        }
    }

    /// <remarks>A plain loop: <c>Numbers().Select(NameOf)</c> was JIT-compiled on every start (the help names the kept set).</remarks>
    public IReadOnlyList<string> CapabilityNames()
    {
        var names = new List<string>();
        for (int bit = 0; bit < 64; bit++)
        {
            if ((Mask & (1UL << bit)) != 0)
                names.Add(NameOf(bit));
        }
        return names;
    }

    /// <summary><c>CAP_NET_ADMIN, CAP_BPF</c>, or <c>none</c>.</summary>
    public override string ToString() => IsEmpty ? "none" : string.Join(", ", CapabilityNames());
}
