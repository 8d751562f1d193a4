using System.Numerics;

namespace Forwarder.FlowTable;

/// <summary>
/// The shape of each worker's <see cref="ConnectionTable"/>: how many entries, how many per bucket,
/// and how long an idle connection is remembered. TCP connections use <see cref="TcpIdleTimeout"/>;
/// every other protocol (UDP, and ICMP errors quoting UDP) uses <see cref="UdpIdleTimeout"/>.
/// </summary>
public sealed record ConnectionTableOptions
{
    public const int DefaultCapacity = 1 << 20;
    public const int DefaultWays = 8;
    public const int MaxCapacity = 1 << 24;
    public const int MaxWays = 16;

    public static readonly ConnectionTableOptions Default = new();

    /// <summary>Entries per worker: a power of two, at least <see cref="Ways"/>, at most <see cref="MaxCapacity"/>.</summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>Entries per bucket (1, 2, 4, 8 or 16); 8 puts a bucket's tags and stamps in one cache line.</summary>
    public int Ways { get; init; } = DefaultWays;

    /// <summary>A TCP connection not seen for longer than this is forgotten; its next packet takes the current Maglev choice.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A UDP (or other) flow not seen for longer than this is forgotten (Linux conntrack's 30 s for UDP).</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most new connections each worker remembers per second (Katran's MAX_CONN_RATE); beyond it they are forwarded by Maglev alone. 0 = no limit.</summary>
    public long MaxNewPerSecond { get; init; }

    /// <summary>The highest <see cref="MaxNewPerSecond"/> accepted.</summary>
    public const long MaxNewPerSecondLimit = 1_000_000_000;

    /// <summary>The fixed memory one table of this shape takes (entries and their bucket words).</summary>
    public long MemoryBytes => (long)Capacity * ConnectionTable.BytesPerEntry;

    /// <summary>What is wrong with these options, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        bool waysValid = Ways is >= 1 and <= MaxWays && BitOperations.IsPow2(Ways);
        if (!waysValid)
            problems.Add($"flow table ways must be 1, 2, 4, 8 or 16 entries per bucket, not {Ways}");
        int smallest = waysValid ? Ways : 1;
        if (Capacity < smallest || Capacity > MaxCapacity || !BitOperations.IsPow2(Capacity))
            problems.Add($"flow table capacity must be a power of two from {smallest} to {MaxCapacity} entries, not {Capacity}");
        CheckTimeout(problems, "tcp", TcpIdleTimeout);
        CheckTimeout(problems, "udp", UdpIdleTimeout);
        if (MaxNewPerSecond is < 0 or > MaxNewPerSecondLimit)
            problems.Add($"flow table new connections per second must be from 0 (no limit) to {MaxNewPerSecondLimit}, not {MaxNewPerSecond}");
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every problem <see cref="Validate"/> finds.</summary>
    public void ThrowIfInvalid()
    {
        IReadOnlyList<string> problems = Validate();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems));
    }

    private static void CheckTimeout(List<string> problems, string protocol, TimeSpan timeout)
    {
        if (timeout < TimeSpan.FromMilliseconds(1) || timeout > FlowClock.MaxTimeout)
            problems.Add($"flow table {protocol} idle timeout must be from 1 ms to {FlowClock.MaxTimeout.TotalDays} days, not {timeout}");
    }
}
