using System.Runtime.Versioning;
using Forwarder.Hosting;
using Microsoft.Extensions.Logging;

namespace Forwarder.Tests.Hosting;

/// <summary>The logger of <c>forwarder run</c> is built only where something is logged, or ahead on request, and never makes a caller wait.</summary>
[SupportedOSPlatform("linux")]
public class DeferredLoggerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private sealed class RecordingFactory : ILoggerFactory, ILogger
    {
        public readonly List<string> Lines = [];
        public int Disposed;
        public void AddProvider(ILoggerProvider provider) { }
        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() => Disposed++;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            lock (Lines)
                Lines.Add(formatter(state, exception));
        }
    }

    [Fact]
    public void Nothing_is_built_or_disposed_when_nothing_is_logged()
    {
        int built = 0;
        var logger = new DeferredLogger(() => { built++; return new RecordingFactory(); }, "forwarder");

        logger.Dispose();

        Assert.Equal(0, built);
    }

    [Fact]
    public void Lines_logged_while_the_factory_is_built_are_written_in_order_and_nobody_waits()
    {
        using var release = new ManualResetEventSlim();
        var factory = new RecordingFactory();
        int built = 0;
        var logger = new DeferredLogger(() => { Interlocked.Increment(ref built); release.Wait(Bound); return factory; }, "forwarder");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        logger.LogInformation("one");
        logger.LogDebug("filtered out");
        logger.LogWarning("two");
        TimeSpan logging = clock.Elapsed;
        release.Set();
        logger.LogInformation("three");
        logger.Dispose();

        Assert.True(logging < TimeSpan.FromSeconds(5), $"logging waited {logging.TotalMilliseconds:0} ms for the factory");
        Assert.Equal(["one", "two", "three"], factory.Lines);
        Assert.Equal(1, built);
        Assert.Equal(1, factory.Disposed);
    }

    [Fact]
    public void Prepare_builds_it_ahead_on_another_thread_once()
    {
        using var builtOn = new ManualResetEventSlim();
        int thread = 0, built = 0;
        using var logger = new DeferredLogger(() =>
        {
            thread = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref built);
            builtOn.Set();
            return new RecordingFactory();
        }, "forwarder");

        logger.Prepare();
        logger.Prepare();

        Assert.True(builtOn.Wait(Bound));
        logger.LogInformation("after");
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(1, built);
    }

    [Fact]
    public void A_hold_builds_nothing_until_released_then_writes_every_kept_line_in_order()
    {
        using var written = new ManualResetEventSlim();
        var factory = new RecordingFactory();
        int built = 0;
        var logger = new DeferredLogger(() => { Interlocked.Increment(ref built); written.Set(); return factory; }, "forwarder");

        logger.Hold(TimeSpan.FromMinutes(10));
        logger.LogInformation("one");
        logger.LogWarning("two");
        Thread.Sleep(100);
        Assert.Equal(0, Volatile.Read(ref built));

        logger.Release();
        Assert.True(written.Wait(Bound));
        logger.LogInformation("three");
        logger.Dispose();

        Assert.Equal(["one", "two", "three"], factory.Lines);
        Assert.Equal(1, built);
    }

    [Fact]
    public void A_hold_ends_by_itself_at_its_limit()
    {
        using var written = new ManualResetEventSlim();
        var factory = new RecordingFactory();
        using var logger = new DeferredLogger(() => { written.Set(); return factory; }, "forwarder");

        logger.Hold(TimeSpan.FromMilliseconds(50));
        logger.LogInformation("kept");

        Assert.True(written.Wait(Bound), "the hold outlived its limit");
    }

    [Fact]
    public void Disposing_during_a_hold_writes_the_kept_lines_before_it_returns()
    {
        var factory = new RecordingFactory();
        var logger = new DeferredLogger(() => factory, "forwarder");

        logger.Hold(TimeSpan.FromMinutes(10));
        logger.LogError("the start failed");
        logger.Dispose();

        Assert.Equal(["the start failed"], factory.Lines);
        Assert.Equal(1, factory.Disposed);
    }

    [Fact]
    public void A_hold_with_nothing_logged_builds_nothing()
    {
        int built = 0;
        var logger = new DeferredLogger(() => { built++; return new RecordingFactory(); }, "forwarder");

        logger.Hold(TimeSpan.FromMinutes(10));
        logger.Release();
        logger.Dispose();

        Assert.Equal(0, built);
    }

    [Fact]
    public void A_factory_that_cannot_be_built_loses_the_lines_but_stops_nothing()
    {
        var logger = new DeferredLogger(() => throw new InvalidOperationException("no console"), "forwarder");

        logger.LogError("lost");
        logger.Dispose();
    }
}
