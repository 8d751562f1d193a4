using System.Diagnostics;
using Xunit;

namespace Forwarder.Testing;

/// <summary>
/// Bounded polling: every wait in the tests ends, both in time and in number of tries. A limit is a
/// bound, not an expectation: a condition that holds early ends the wait early.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(5);

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; whether it held.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        TimeSpan step = interval ?? DefaultInterval;
        int maxTries = MaxTries(timeout, step);
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; attempt < maxTries; attempt++)
        {
            if (condition())
                return true;
            if (clock.Elapsed >= timeout)
                break;
            Thread.Sleep(step);
        }
        return condition();
    }

    /// <summary>
    /// Waits, without blocking a thread, until <paramref name="condition"/> holds; fails the test with
    /// "timed out after N s waiting until <paramref name="what"/>" after <paramref name="limit"/> (5 s by default).
    /// </summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? limit = null, TimeSpan? interval = null)
    {
        TimeSpan bound = limit ?? DefaultLimit;
        TimeSpan step = interval ?? TimeSpan.FromMilliseconds(5);
        int maxTries = MaxTries(bound, step);
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; attempt < maxTries && clock.Elapsed < bound; attempt++)
        {
            if (condition())
                return;
            await Task.Delay(step);
        }
        Assert.True(condition(), $"timed out after {bound.TotalSeconds:0.###} s waiting until {what}");
    }

    private static int MaxTries(TimeSpan limit, TimeSpan step) => (int)Math.Max(1, limit / step) + 1;
}
