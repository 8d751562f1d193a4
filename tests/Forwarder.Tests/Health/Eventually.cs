namespace Forwarder.Tests.Health;

internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="limit"/> (5 s by default: a bound, not an expectation).</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
                Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }
}
