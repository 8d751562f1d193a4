namespace Forwarder.Hosting;

/// <summary>The XDP program's counters, summed over CPUs (slots of redirect.c's <c>enum counter</c>).</summary>
public sealed record RedirectCounters(ulong Seen, ulong Redirected, ulong Passed, ulong Malformed, ulong NoSocket)
{
    public static readonly RedirectCounters Zero = new(0, 0, 0, 0, 0);
}
