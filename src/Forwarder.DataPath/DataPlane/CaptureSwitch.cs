namespace Forwarder.DataPlane;

/// <summary>
/// Where the workers look for a running capture: one reference per host, read by every worker once per batch
/// (<see cref="CapturingProcessor{TProcessor}"/>). Null — the default — is no capture, and costs the workers that
/// one load and one predictable branch. The control plane publishes one tap per worker, index = worker index.
/// </summary>
public sealed class CaptureSwitch
{
    private CaptureTap[]? _taps;

    /// <summary>The running capture's taps, or null.</summary>
    public CaptureTap[]? Taps => Volatile.Read(ref _taps);

    /// <summary>Starts a capture; false when one is running already (it is left alone).</summary>
    public bool TryStart(CaptureTap[] taps) => Interlocked.CompareExchange(ref _taps, taps, null) is null;

    /// <summary>
    /// Stops the capture of <paramref name="taps"/>. A worker in the middle of a batch may still finish writing it
    /// into its ring (the ring stays valid: it is managed memory, dropped when the writer lets it go).
    /// </summary>
    public void Stop(CaptureTap[] taps) => Interlocked.CompareExchange(ref _taps, null, taps);
}
