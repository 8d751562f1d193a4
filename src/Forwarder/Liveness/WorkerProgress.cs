namespace Forwarder.Liveness;

/// <summary>One reading of a worker for the watchdog: a counter that moves whenever its loop goes round, whether its RX ring held frames, and its queue (for the log).</summary>
public readonly record struct WorkerProgress(long Progress, bool RingHoldsFrames, int Queue = 0);
