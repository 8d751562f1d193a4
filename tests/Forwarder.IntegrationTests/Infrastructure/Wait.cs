using System.Diagnostics;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>Bounded polling: every wait in these tests ends, in time and in number of tries.</summary>
public static class Wait
{
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        TimeSpan step = interval ?? TimeSpan.FromMilliseconds(20);
        int maxTries = (int)Math.Max(1, timeout / step) + 1;
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
}
