namespace Forwarder.Liveness;

/// <summary>
/// The liveness device and what drives it: its name (the node's BIRD announces the VIPs <c>via</c> it), how a
/// drain ends, and when the watchdog withdraws. Set by <c>run --liveness-device</c>, <c>--drain-quiet</c>,
/// <c>--drain-max</c> and <c>--no-drain</c>.
/// </summary>
public sealed record LivenessOptions
{
    public static readonly TimeSpan DefaultDrainQuiet = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultDrainMax = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultWatchdogStall = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DefaultWatchdogRecovery = TimeSpan.FromSeconds(1);

    /// <summary>The TUN device's name, e.g. <c>fwd0</c>.</summary>
    public required string DeviceName { get; init; }

    /// <summary>A drain ends once no VIP packet arrived for this long.</summary>
    public TimeSpan DrainQuiet { get; init; } = DefaultDrainQuiet;

    /// <summary>A drain ends after this long, however busy the VIPs still are.</summary>
    public TimeSpan DrainMax { get; init; } = DefaultDrainMax;

    /// <summary>False (<c>--no-drain</c>): SIGTERM stops at once, as without a liveness device.</summary>
    public bool DrainOnStop { get; init; } = true;

    /// <summary>A worker whose RX ring holds frames and that made no progress for this long is stalled.</summary>
    public TimeSpan WatchdogStall { get; init; } = DefaultWatchdogStall;

    /// <summary>After a stall, the device comes back up once no worker was stalled for this long.</summary>
    public TimeSpan WatchdogRecovery { get; init; } = DefaultWatchdogRecovery;

    /// <summary>Every problem of these options (empty when they are usable), each naming what to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DeviceNameProblem(DeviceName) is { } name)
            problems.Add(name);
        if (DrainQuiet <= TimeSpan.Zero)
            problems.Add($"--drain-quiet {DrainQuiet.TotalSeconds}: give a number of seconds above 0, e.g. 2");
        if (DrainMax <= TimeSpan.Zero)
            problems.Add($"--drain-max {DrainMax.TotalSeconds}: give a number of seconds above 0, e.g. 30");
        else if (DrainMax < DrainQuiet)
            problems.Add($"--drain-max {DrainMax.TotalSeconds} is shorter than --drain-quiet {DrainQuiet.TotalSeconds}: give a maximum of at least the quiet time");
        if (WatchdogStall <= TimeSpan.Zero || WatchdogRecovery < TimeSpan.Zero)
            problems.Add("the watchdog's stall time must be above 0 and its recovery time at least 0");
        return problems;
    }

    /// <summary>Why <paramref name="name"/> cannot name a network device; null when it can.</summary>
    public static string? DeviceNameProblem(string name)
    {
        if (name.Length is 0 or > Interop.Posix.InterfaceNameMax)
            return $"--liveness-device '{name}': give a device name of 1 to {Interop.Posix.InterfaceNameMax} characters, e.g. fwd0";
        if (name is "." or ".." || name.Any(c => c is '/' or ':' or '%' || char.IsWhiteSpace(c) || char.IsControl(c) || c > '~'))
            return $"--liveness-device '{Printable(name)}': use letters, digits, '-', '_' and '.' only, e.g. fwd0";
        return null;
    }

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) || c > '~' ? '?' : c).ToArray());
}
