namespace Forwarder.Configuration;

/// <summary>How the backends of one VIP are probed.</summary>
/// <remarks>
/// The defaults take a backend that dies out of its VIP's table within 500 ms. The worst case is the
/// wait for the next probe (one interval) plus <see cref="Fall"/> failed probes, the last of which may
/// cost its timeout: <c>fall × interval + timeout</c>. A refused connection fails at once, so a crashed
/// service is out after at most 2 × 100 = 200 ms; a host that goes silent makes each probe wait for
/// its timeout, so at most 2 × 100 + 100 = 300 ms. That leaves room for scheduling and for publishing
/// the new forwarding tables. <c>fall: 1</c> would take a backend out for one lost SYN (Linux resends
/// it only after 1 s, so one loss already fails a 100 ms probe); <c>fall: 3</c> would bring a silent
/// host to 400 ms, too close to the bound. <c>rise: 2</c> keeps one lucky answer from a flapping
/// service from pulling it back in, and still returns a recovered backend within about 200 ms.
/// A 100 ms timeout is far above a local network's round trip; a connection that takes longer has
/// lost a packet or has a full accept queue, and is worth counting as a failure. Ten probes a second
/// per backend cost the host and the backend next to nothing (one TCP handshake each).
/// </remarks>
public sealed record HealthCheckConfig
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    public const int DefaultRise = 2;
    public const int DefaultFall = 2;

    /// <summary>The smallest and largest <see cref="Rise"/> and <see cref="Fall"/>.</summary>
    public const int MinCount = 1, MaxCount = 100;

    /// <summary>The range of <see cref="ExpectStatus"/>.</summary>
    public const int MinStatus = 100, MaxStatus = 599;

    public HealthCheckKind Kind { get; init; } = HealthCheckKind.Tcp;

    /// <summary>Whether probes go to the backend's address (the default) or through the VIP, as clients' packets do.</summary>
    public HealthCheckVia Via { get; init; } = HealthCheckVia.Backend;

    /// <summary>The port probed; <c>null</c> = the backend's port under <c>nat</c>, else the VIP's port.</summary>
    public ushort? Port { get; init; }

    /// <summary>The HTTP path requested (<see cref="HealthCheckKind.Http"/> only).</summary>
    public string? Path { get; init; }

    /// <summary>The HTTP status a probe must get (<see cref="HealthCheckKind.Http"/> only); <c>null</c> = any 2xx.</summary>
    public int? ExpectStatus { get; init; }

    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>How long a probe may take; never more than <see cref="Interval"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Consecutive successes that bring a backend that is down back into its VIP's table.</summary>
    public int Rise { get; init; } = DefaultRise;

    /// <summary>Consecutive failures that take a healthy backend out of its VIP's table.</summary>
    public int Fall { get; init; } = DefaultFall;
}
