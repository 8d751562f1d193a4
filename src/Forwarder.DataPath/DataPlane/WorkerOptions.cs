namespace Forwarder.DataPlane;

/// <summary>How a worker runs its loop.</summary>
public sealed record WorkerOptions
{
    /// <summary>Frames taken from RX per iteration (1–256).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Microseconds an idle worker spins after its last frame before it sleeps in poll() (see <see cref="IdleSpin"/>).</summary>
    public int IdleSpinMicroseconds { get; init; } = DefaultIdleSpinMicroseconds;

    /// <summary>Long enough to span the gaps between copy-mode NAPI's deliveries under load (up to 64 frames per NAPI poll: a poll's worth every 64 µs at 1 Mpps), short enough that a node with little traffic leaves its core to others (BIRD).</summary>
    public const int DefaultIdleSpinMicroseconds = 200;

    /// <summary>Longest sleep when idle; 0 = never sleep (always spin).</summary>
    public int IdleSleepMs { get; init; } = 10;

    /// <summary>Wake RX on every empty poll (busy-poll mode drives the NAPI loop from user space).</summary>
    public bool WakeRxWhenEmpty { get; init; }

    /// <summary>Work done on the worker's thread at every empty poll (e.g. <see cref="ConnectionTableUpkeep"/>); null = none.</summary>
    public IIdleWork? IdleWork { get; init; }
}
