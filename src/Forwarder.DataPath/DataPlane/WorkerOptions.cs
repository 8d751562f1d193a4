namespace Forwarder.DataPlane;

/// <summary>How a worker runs its loop.</summary>
public sealed record WorkerOptions
{
    /// <summary>Frames taken from RX per iteration (1–256).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Empty polls in a row before the worker sleeps in poll(); spins meanwhile.</summary>
    public int IdleSpins { get; init; } = 2000;

    /// <summary>Longest sleep when idle; 0 = never sleep (always spin).</summary>
    public int IdleSleepMs { get; init; } = 10;

    /// <summary>Wake RX on every empty poll (busy-poll mode drives the NAPI loop from user space).</summary>
    public bool WakeRxWhenEmpty { get; init; }

    /// <summary>
    /// Benchmarking switch (<c>forwarder run --receive-only</c>): every batch is processed as usual (parse, classify,
    /// hash, Maglev, rewrite), then every frame goes back to FILL instead of TX and is counted as
    /// <see cref="DropReason.ReceiveOnly"/> (frames the processor dropped keep their own reason). Nothing is
    /// transmitted: it measures the receive side alone. Not for production.
    /// </summary>
    public bool ReceiveOnly { get; init; }
}
