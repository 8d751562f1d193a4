namespace Forwarder.Liveness;

/// <summary>Why a drain ended.</summary>
public enum DrainEnd
{
    /// <summary>No VIP packet arrived for the quiet time.</summary>
    Quiet,
    /// <summary>The maximum drain time passed with VIP packets still arriving.</summary>
    Max,
    /// <summary>An immediate stop (SIGINT, a stopped worker) cut it short.</summary>
    Interrupted,
}
