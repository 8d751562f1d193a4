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

    /// <summary>Work done on the worker's thread at every empty poll (e.g. <see cref="ConnectionTableUpkeep"/>); null = none.</summary>
    public IIdleWork? IdleWork { get; init; }
}
