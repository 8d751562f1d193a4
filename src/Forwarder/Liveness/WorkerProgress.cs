namespace Forwarder.Liveness;

/// <summary>One reading of a worker for the watchdog: a counter that moves whenever its loop goes round, and whether its RX ring held frames.</summary>
public readonly record struct WorkerProgress(long Progress, bool RingHoldsFrames);
