namespace AfXdp;

/// <summary>Whether to ask the driver for zero-copy.</summary>
public enum ZeroCopyMode
{
    /// <summary>Try zero-copy, fall back to copy mode where the driver cannot.</summary>
    Auto,
    /// <summary>Zero-copy or fail.</summary>
    On,
    /// <summary>Copy mode only.</summary>
    Off,
}

/// <summary>How an AF_XDP socket is bound.</summary>
public sealed record XskSocketOptions
{
    public uint RxRingSize { get; init; } = 2048;

    public uint TxRingSize { get; init; } = 2048;

    public ZeroCopyMode ZeroCopy { get; init; } = ZeroCopyMode.Auto;

    /// <summary>Bind with XDP_USE_NEED_WAKEUP: the kernel tells us when a syscall is needed.</summary>
    public bool NeedWakeup { get; init; } = true;

    /// <summary>Busy-poll settings, or null to leave the socket interrupt-driven.</summary>
    public BusyPollOptions? BusyPoll { get; init; }

    /// <summary>Copy-mode TX: descriptors the kernel sends per wakeup (XDP_MAX_TX_SKB_BUDGET, kernel 6.17+); null keeps the kernel's 32.</summary>
    public uint? TxBudget { get; init; }

    /// <summary>How long to retry a bind that answers EBUSY (a queue whose previous socket is still being torn down).</summary>
    public TimeSpan BusyRetry { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>SO_PREFER_BUSY_POLL / SO_BUSY_POLL / SO_BUSY_POLL_BUDGET.</summary>
public sealed record BusyPollOptions(int TimeoutMicroseconds = 20, int Budget = 64);
