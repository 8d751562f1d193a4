using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Tests.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Api;

/// <summary>
/// No failure of a reload — a hostile file, a file that cannot be read, a fault of any kind — ends the
/// process or touches the running state: the old configuration stays in force, and the failure is
/// counted (<c>forwarder_config_reload_failures_total</c>). A test whose fault escaped onto the file
/// watcher's or the timer's thread would take the test host down with it.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReloadFaultTests : IAsyncLifetime
{
    /// <summary>20,000 nested flow mappings (80 KB): without a bound on nesting, reading it overflows the stack.</summary>
    private static readonly string DeeplyNested = string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "1" + new string('}', 20_000) + "\n";

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private TestForwarder Forwarder => _api.Forwarder;

    [Fact]
    public async Task A_deeply_nested_file_is_refused_by_a_reload_counted_and_the_running_configuration_stays()
    {
        File.WriteAllText(Forwarder.ConfigPath, DeeplyNested);

        ReloadResult result = OnSmallStack(() => Forwarder.Reload("test"));

        Assert.False(result.Change.Applied);
        Assert.Contains("nesting deeper than 64 levels", Assert.Single(result.Change.Errors));
        AssertRunningConfigurationKept();
        Assert.Equal(1, Forwarder.ReloadFailures);
        Assert.Equal(1, Forwarder.Runtime.RefusedChanges);
        string metrics = (await _api.Get("/metrics")).Body;
        Assert.Equal(1, StrictPrometheusParser.Parse(metrics)["forwarder_config_reload_failures_total"].Samples.Single().Value);
    }

    [Fact]
    public async Task A_watched_file_replaced_by_a_deeply_nested_one_is_refused_and_forwarding_state_stays()
    {
        using var scheduler = new ReloadScheduler(Forwarder.Reload, TimeSpan.FromMilliseconds(50), NullLogger.Instance);
        using var watcher = new ConfigFileWatcher(Forwarder.ConfigPath, scheduler.Request, NullLogger.Instance);
        Assert.True(watcher.IsWatching);
        string staged = Path.Combine(Forwarder.DirectoryPath, "forwarder.yaml.new");
        int mapOperations = Forwarder.Maps.Log.Count;

        File.WriteAllText(staged, DeeplyNested);
        File.Move(staged, Forwarder.ConfigPath, overwrite: true);

        await Wait.HoldsAsync(() => Forwarder.ReloadFailures >= 1, "a reload failure is counted", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        AssertRunningConfigurationKept();
        Assert.Equal(mapOperations, Forwarder.Maps.Log.Count); // the XDP program's maps were not touched
    }

    [Theory]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(UnauthorizedAccessException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(OutOfMemoryException))]
    [InlineData(typeof(ArgumentException))]
    public void An_exception_of_any_kind_while_reading_is_contained_counted_and_the_next_reload_works(Type fault)
    {
        bool failing = true;
        var reloader = new ConfigFileReloader(Forwarder.ConfigPath, Forwarder.Runtime, NullLogger.Instance, path =>
            failing ? throw (Exception)Activator.CreateInstance(fault, "injected fault")! : File.ReadAllText(path));
        File.WriteAllText(Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);

        ReloadResult result = reloader.Reload("test");

        Assert.False(result.Change.Applied);
        Assert.Contains("injected fault", Assert.Single(result.Change.Errors));
        Assert.Equal(1, reloader.Failures);
        AssertRunningConfigurationKept();

        failing = false;
        Assert.True(reloader.Reload("test").Change.Applied);
        Assert.Equal(2, Forwarder.Version);
        Assert.Equal(1, reloader.Failures);
    }

    [Fact]
    public void A_deleted_file_is_refused_and_counted()
    {
        File.Delete(Forwarder.ConfigPath);

        ReloadResult result = Forwarder.Reload("test");

        Assert.StartsWith($"cannot read {Forwarder.ConfigPath}: No such file or directory", Assert.Single(result.Change.Errors), StringComparison.Ordinal);
        Assert.Equal(1, Forwarder.ReloadFailures);
        AssertRunningConfigurationKept();
    }

    [Fact]
    public void A_directory_or_a_fifo_in_place_of_the_file_is_refused_at_once()
    {
        File.Delete(Forwarder.ConfigPath);
        Directory.CreateDirectory(Forwarder.ConfigPath);
        Assert.Contains("it is a directory, not a regular file", Assert.Single(ReloadWithin(TimeSpan.FromSeconds(30)).Change.Errors));

        Directory.Delete(Forwarder.ConfigPath);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Forwarder.ConfigPath]))
        {
            Assert.True(mkfifo.WaitForExit(10_000));
            Assert.Equal(0, mkfifo.ExitCode);
        }
        Assert.Contains("it is a device or pipe, not a regular file", Assert.Single(ReloadWithin(TimeSpan.FromSeconds(30)).Change.Errors));

        Assert.Equal(2, Forwarder.ReloadFailures);
        AssertRunningConfigurationKept();
    }

    [Fact]
    public async Task A_fault_in_the_watchers_callback_is_contained_and_the_watching_goes_on()
    {
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watcher = new ConfigFileWatcher(Forwarder.ConfigPath, reason =>
        {
            reasons.Enqueue(reason);
            if (reasons.Count == 1)
                throw new InvalidOperationException("injected fault");
        }, NullLogger.Instance);

        File.AppendAllText(Forwarder.ConfigPath, "\n");
        await Wait.HoldsAsync(() => !reasons.IsEmpty, "a reload reason is recorded", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        await Task.Delay(300); // the tail of that write's events
        int seen = reasons.Count;
        File.AppendAllText(Forwarder.ConfigPath, "\n");

        await Wait.HoldsAsync(() => reasons.Skip(seen).Contains("file change"), "a file change triggers a reload", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.DoesNotContain("file watcher overflow", reasons);
    }

    [Fact]
    public async Task A_fault_of_a_scheduled_reload_is_contained_and_the_next_request_still_runs()
    {
        int runs = 0;
        using var scheduler = new ReloadScheduler(_ =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("injected fault");
        }, TimeSpan.FromMilliseconds(20), NullLogger.Instance);

        scheduler.Request("test");
        await Wait.HoldsAsync(() => Volatile.Read(ref runs) == 1, "the first reload ran", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        scheduler.Request("test");

        await Wait.HoldsAsync(() => Volatile.Read(ref runs) == 2, "the second reload ran", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    private void AssertRunningConfigurationKept()
    {
        Assert.Equal(1, Forwarder.Version);
        Assert.Single(Forwarder.Runtime.Config.Vips);
        Assert.Equal(3, Forwarder.Runtime.Config.Vips[0].Backends.Count);
    }

    private ReloadResult ReloadWithin(TimeSpan timeout)
    {
        Task<ReloadResult> reload = Task.Factory.StartNew(() => Forwarder.Reload("test"), TaskCreationOptions.LongRunning);
        Assert.True(reload.Wait(timeout), $"the reload did not finish within {timeout.TotalSeconds} s");
        return reload.Result;
    }

    /// <summary>Runs on a thread with a 256 KiB stack, far less than a thread pool thread's, so that unbounded recursion shows at once.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work(), maxStackSize: 256 << 10);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the reload did not finish within 60 s");
        return result;
    }
}
