namespace Forwarder.Steering;

/// <summary>The XDP program's counters, summed over CPUs (slots of redirect.c's <c>enum counter</c>).</summary>
/// <param name="HostPassed">Frames from a nat backend to one of this host's own addresses, handed to the kernel (not replies to clients).</param>
public sealed record RedirectCounters(ulong Seen, ulong Redirected, ulong Passed, ulong Malformed, ulong NoSocket, ulong HostPassed = 0)
{
    public static readonly RedirectCounters Zero = new(0, 0, 0, 0, 0, 0);
}
