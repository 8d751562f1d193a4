namespace Forwarder.Configuration;

/// <summary>How the backends of one VIP are probed.</summary>
public sealed record HealthCheckConfig
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    public HealthCheckKind Kind { get; init; } = HealthCheckKind.Tcp;

    /// <summary>The port probed; <c>null</c> = the backend's port under <c>nat</c>, else the VIP's port.</summary>
    public ushort? Port { get; init; }

    /// <summary>The HTTP path requested (<see cref="HealthCheckKind.Http"/> only).</summary>
    public string? Path { get; init; }

    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>How long a probe may take; never more than <see cref="Interval"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
