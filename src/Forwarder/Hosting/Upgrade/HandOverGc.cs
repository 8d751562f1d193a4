using System.Runtime;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// Keeps the garbage collector out of an upgrade's pause: a collection suspends every managed thread, the workers and
/// the hand-over's own included. <see cref="Quiet"/> makes room first (a collection may run then, while the workers
/// still forward) and allocates from it until disposed; when the room runs out the collector works as usual.
/// </summary>
public sealed class HandOverGc : IDisposable
{
    /// <summary>Far more than the hand-over allocates (its lines, a few kilobytes per queue).</summary>
    private const long Room = 16L << 20;

    private readonly bool _started;

    private HandOverGc(bool started) => _started = started;

    public static HandOverGc Quiet()
    {
        try
        {
            return new HandOverGc(GCSettings.LatencyMode != GCLatencyMode.NoGCRegion && GC.TryStartNoGCRegion(Room));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return new HandOverGc(false);
        }
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // A collection ran all the same (the room ran out): the region has ended already.
        }
    }
}
