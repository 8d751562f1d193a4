using System.Diagnostics;

namespace Forwarder.Tests.Testing;

/// <summary>The shared wait ends: early when its condition holds, at its bound in time and in tries when not.</summary>
public sealed class WaitTests
{
    [Fact]
    public void Until_returns_as_soon_as_the_condition_holds()
    {
        int calls = 0;
        Assert.True(Wait.Until(() => ++calls == 3, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Until_gives_up_after_its_timeout_with_a_bounded_number_of_tries()
    {
        int calls = 0;
        var clock = Stopwatch.StartNew();
        Assert.False(Wait.Until(() => { calls++; return false; }, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Assert.InRange(calls, 2, 100 / 10 + 2); // the tries, then one last look
    }

    [Fact]
    public async Task HoldsAsync_fails_with_what_it_waited_for_and_its_bound()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            Wait.HoldsAsync(() => false, "the sky is green", TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)));
        Assert.Contains("timed out after 0.05 s waiting until the sky is green", failure.Message);
    }

    [Fact]
    public async Task HoldsAsync_returns_once_the_condition_holds()
    {
        int calls = 0;
        await Wait.HoldsAsync(() => ++calls == 4, "the fourth look", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, calls);
    }
}
