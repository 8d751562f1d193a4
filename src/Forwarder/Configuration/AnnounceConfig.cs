namespace Forwarder.Configuration;

/// <summary>
/// The <c>announce</c> section: this node's BIRD announces the VIPs the forwarder allows, as static routes via
/// the liveness device, from a file the forwarder renders (see docs/configuration.md). Absent: nothing is announced
/// and nothing of this runs.
/// </summary>
public sealed record AnnounceConfig
{
    public const string DefaultLivenessDevice = "fwd0";
    public const string DefaultBirdSocket = "/run/bird/bird.ctl";
    public const string DefaultIncludeFile = "/run/forwarder/bird-vips.conf";
    public const int MaxMinHealthyBackends = 65_535;

    /// <summary>Longest Unix socket path the kernel takes (sun_path is 108 bytes with its terminating zero).</summary>
    public const int MaxSocketPathBytes = 107;

    public static readonly TimeSpan DefaultHoldDown = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultDrainQuiet = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultDrainMax = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultWatchdogStall = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinDrainQuiet = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MinWatchdogStall = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxWatchdogStall = TimeSpan.FromMinutes(1);

    /// <summary>The TUN device the forwarder owns; BIRD's static routes go via it, so its disappearance withdraws them.</summary>
    public string LivenessDevice { get; init; } = DefaultLivenessDevice;

    /// <summary>BIRD's control socket.</summary>
    public string BirdSocket { get; init; } = DefaultBirdSocket;

    /// <summary>The file the forwarder renders with its static protocols; BIRD's configuration includes it.</summary>
    public string IncludeFile { get; init; } = DefaultIncludeFile;

    /// <summary>A VIP is announced only with at least this many healthy backends (at least 1).</summary>
    public int MinHealthyBackends { get; init; } = 1;

    /// <summary>Nothing is announced until health checks ran this long after start.</summary>
    public TimeSpan HoldDown { get; init; } = DefaultHoldDown;

    /// <summary>VIP (as <c>forwarder status</c> names it, <see cref="VipName"/>) → the Maglev table digest it must have to be announced.</summary>
    public EquatableDictionary ExpectedDigests { get; init; } = EquatableDictionary.Empty;

    /// <summary>Drain: stop after no VIP packet arrived for this long ...</summary>
    public TimeSpan DrainQuiet { get; init; } = DefaultDrainQuiet;

    /// <summary>... or after this at most.</summary>
    public TimeSpan DrainMax { get; init; } = DefaultDrainMax;

    /// <summary>A worker with frames waiting and no progress for this long withdraws the node.</summary>
    public TimeSpan WatchdogStall { get; init; } = DefaultWatchdogStall;

    /// <summary>How a VIP is named in <see cref="ExpectedDigests"/>, the same as everywhere else: <c>10.0.0.1:80/tcp</c>, <c>[fd00::1]:*/any</c>.</summary>
    public static string VipName(VipConfig vip) =>
        $"{(vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{vip.Address}]" : vip.Address)}:{(vip.Port == 0 ? "*" : vip.Port)}/{ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)}";
}
