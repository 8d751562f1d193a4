using System.Runtime.Versioning;
using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>The deferred start after the first forwarded batch: it runs once, on a batch or at the limit, never after disposal.</summary>
[SupportedOSPlatform("linux")]
public class FirstBatchWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_forwarded_frame_starts_the_deferred_work_before_the_limit()
    {
        long forwarded = 0;
        bool? sawBatch = null;
        int runs = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using FirstBatchWatch watch = FirstBatchWatch.Start(() => Volatile.Read(ref forwarded), TimeSpan.FromMinutes(5), batch => { sawBatch = batch; runs++; });

        Volatile.Write(ref forwarded, 64);

        Assert.True(watch.WaitDone(Bound));
        Assert.True(sawBatch);
        Assert.Equal(1, runs);
        Assert.True(started.Elapsed < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Without_traffic_the_deferred_work_runs_at_the_limit()
    {
        bool? sawBatch = null;
        using FirstBatchWatch watch = FirstBatchWatch.Start(() => 0, TimeSpan.FromMilliseconds(50), batch => sawBatch = batch);

        Assert.True(watch.WaitDone(Bound));
        Assert.False(sawBatch);
    }

    [Fact]
    public void Frames_forwarded_before_the_watch_do_not_count_as_its_first_batch()
    {
        bool? sawBatch = null;
        using FirstBatchWatch watch = FirstBatchWatch.Start(() => 1000, TimeSpan.FromMilliseconds(50), batch => sawBatch = batch);

        Assert.True(watch.WaitDone(Bound));
        Assert.False(sawBatch);
    }

    [Fact]
    public void Disposed_before_any_batch_it_runs_nothing()
    {
        int runs = 0;
        FirstBatchWatch watch = FirstBatchWatch.Start(() => 0, TimeSpan.FromMinutes(5), _ => runs++);

        watch.Dispose();

        Assert.True(watch.WaitDone(Bound));
        Assert.Equal(0, runs);
    }
}
