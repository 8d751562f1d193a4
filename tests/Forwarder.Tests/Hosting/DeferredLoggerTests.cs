using System.Runtime.Versioning;
using Forwarder.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Hosting;

/// <summary>The logger of <c>forwarder run</c> is built only where something is logged, or ahead on request.</summary>
[SupportedOSPlatform("linux")]
public class DeferredLoggerTests
{
    private sealed class CountingFactory : ILoggerFactory
    {
        public int Disposed;
        public void AddProvider(ILoggerProvider provider) { }
        public ILogger CreateLogger(string categoryName) => NullLogger.Instance;
        public void Dispose() => Disposed++;
    }

    [Fact]
    public void Nothing_is_built_or_disposed_when_nothing_is_logged()
    {
        int built = 0;
        var logger = new DeferredLogger(() => { built++; return new CountingFactory(); }, "forwarder");

        logger.Dispose();

        Assert.Equal(0, built);
    }

    [Fact]
    public void The_first_line_builds_the_factory_once_and_disposal_disposes_it()
    {
        int built = 0;
        var factory = new CountingFactory();
        var logger = new DeferredLogger(() => { built++; return factory; }, "forwarder");

        logger.LogInformation("one");
        logger.LogWarning("two");
        logger.Dispose();

        Assert.Equal(1, built);
        Assert.Equal(1, factory.Disposed);
    }

    [Fact]
    public void Prepare_builds_it_ahead_on_another_thread()
    {
        using var builtOn = new ManualResetEventSlim();
        int thread = 0;
        using var logger = new DeferredLogger(() => { thread = Environment.CurrentManagedThreadId; builtOn.Set(); return new CountingFactory(); }, "forwarder");

        logger.Prepare();

        Assert.True(builtOn.Wait(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
    }
}
