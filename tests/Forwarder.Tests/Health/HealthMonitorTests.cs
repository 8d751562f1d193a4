using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

/// <summary>The monitor over probes the test controls: reconfiguration, faults, concurrency, stopping.</summary>
[SupportedOSPlatform("linux")]
public sealed class HealthMonitorTests
{
    private static readonly HealthCheckConfig Fast = new() { Port = 80, Interval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(20) };

    private static HealthTarget Target(int last, HealthCheckConfig? check = null) => new(IPAddress.Parse($"10.0.0.{last}"), 80, check ?? Fast);

    [Fact]
    public async Task Update_keeps_the_state_of_targets_it_keeps_and_stops_the_ones_it_drops()
    {
        HealthTarget a = Target(1), b = Target(2);
        var probe = new FakeProbe((target, _) => target == a ? FakeProbe.Fail : FakeProbe.Pass);
        var changes = new List<(HealthTarget, bool)>();
        await using var monitor = new HealthMonitor(probe: probe);
        monitor.Changed += (target, healthy, _) => { lock (changes) changes.Add((target, healthy)); };

        monitor.Update([a]);
        await Wait.HoldsAsync(() => !monitor.Snapshot()[a].Healthy, "a is down");
        BackendHealthStatus before = monitor.Snapshot()[a];

        monitor.Update([a, b, b]);
        IReadOnlyDictionary<HealthTarget, BackendHealthStatus> after = monitor.Snapshot();
        Assert.Equal(2, after.Count);
        Assert.False(after[a].Healthy);
        Assert.Equal(before.LastChange, after[a].LastChange);
        Assert.True(after[a].Probes >= before.Probes);
        Assert.True(after[b].Healthy);
        await Wait.HoldsAsync(() => monitor.Snapshot()[a].Probes > before.Probes + 2 && monitor.Snapshot()[b].Probes > 2, "both are probed");

        monitor.Update([b]);
        Assert.False(monitor.Snapshot().ContainsKey(a));
        int calls = probe.Calls(a);
        await Task.Delay(100);
        Assert.True(probe.Calls(a) <= calls + 1, "a removed target is no longer probed");
        lock (changes)
            Assert.Equal([(a, false)], changes);
    }

    [Fact]
    public async Task A_changed_check_is_a_new_target_that_starts_healthy()
    {
        HealthTarget old = Target(1);
        HealthTarget slower = Target(1, Fast with { Interval = TimeSpan.FromMilliseconds(30) });
        // The new target's probes never end, so its state stays the one it starts with.
        var probe = new FakeProbe(async (target, _, cancellationToken) =>
        {
            if (target == slower)
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return FakeProbe.Fail;
        });
        await using var monitor = new HealthMonitor(probe: probe);
        monitor.Update([old]);
        await Wait.HoldsAsync(() => !monitor.Snapshot()[old].Healthy, "the old target is down");

        monitor.Update([slower]);
        BackendHealthStatus fresh = monitor.Snapshot()[slower];
        Assert.True(fresh.Healthy);
        Assert.Equal(0, fresh.Probes);
    }

    [Fact]
    public async Task A_throwing_probe_is_logged_and_counted_and_checking_goes_on()
    {
        HealthTarget target = Target(1);
        var probe = new FakeProbe((_, call) => call <= 3 ? throw new InvalidOperationException($"probe bug {call}") : FakeProbe.Pass);
        var logger = new ListLogger();
        await using var monitor = new HealthMonitor(logger, probe: probe);
        monitor.Update([target]);

        await Wait.HoldsAsync(() => monitor.Snapshot()[target].Probes >= 3, "probes succeed after the faults");
        BackendHealthStatus status = monitor.Snapshot()[target];
        Assert.Equal(3, monitor.Faults);
        Assert.Equal(3, status.Faults);
        Assert.True(status.Healthy);
        Assert.Equal(0, status.Failures); // a fault of the checker says nothing about the backend
        var faults = logger.Entries.Where(e => e.EventId == 203).ToArray();
        Assert.Equal(3, faults.Length);
        Assert.Equal("probe bug 1", faults[0].Exception?.Message);
        Assert.Contains("10.0.0.1:80 tcp", faults[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_handler_is_counted_and_the_other_handlers_still_run()
    {
        HealthTarget target = Target(1);
        var logger = new ListLogger();
        await using var monitor = new HealthMonitor(logger, probe: new FakeProbe((_, _) => FakeProbe.Fail));
        var seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.Changed += (_, _, _) => throw new InvalidOperationException("handler bug");
        monitor.Changed += (_, healthy, _) => seen.TrySetResult(healthy);
        monitor.Update([target]);

        Assert.False(await seen.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(1, monitor.Faults);
        Assert.Contains(logger.Entries, e => e.EventId == 204 && e.Exception?.Message == "handler bug");
        Assert.Contains(logger.Entries, e => e.EventId == 201 && e.Message == "backend 10.0.0.1:80 tcp is down: 1 failure in a row: down");
        await Wait.HoldsAsync(() => monitor.Snapshot()[target].Probes >= 3, "probing goes on");
    }

    [Fact]
    public async Task Targets_are_probed_concurrently()
    {
        HealthTarget[] targets = Enumerable.Range(1, 20).Select(i => Target(i, Fast with { Interval = TimeSpan.FromMilliseconds(300), Timeout = TimeSpan.FromMilliseconds(300) })).ToArray();
        var probe = new FakeProbe(async (_, _, cancellationToken) =>
        {
            await Task.Delay(200, cancellationToken);
            return FakeProbe.Pass;
        });
        await using var monitor = new HealthMonitor(probe: probe);
        var clock = Stopwatch.StartNew();
        monitor.Update(targets);
        // Together they take at most 300 + 200 ms; one after another, 20 probes of 200 ms would take 4 s.
        await Wait.HoldsAsync(() => monitor.Snapshot().Values.All(s => s.Probes >= 1), "every target was probed", TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Dispose_stops_probes_in_flight_at_once()
    {
        HealthTarget[] targets = Enumerable.Range(1, 50).Select(i => Target(i)).ToArray();
        var probe = new FakeProbe(async (_, _, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            return ProbeResult.Failed("cancelled", TimeSpan.Zero);
        });
        var monitor = new HealthMonitor(probe: probe);
        monitor.Update(targets);
        await Wait.HoldsAsync(() => targets.All(t => probe.Calls(t) == 1), "every probe is in flight");

        var clock = Stopwatch.StartNew();
        await monitor.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"stopped in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.All(targets, t => Assert.Equal(1, probe.Calls(t)));
        await monitor.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => monitor.Update(targets));
        Assert.Equal(0, monitor.Faults);
    }

    [Fact]
    public async Task States_are_stamped_with_the_monitors_clock()
    {
        var now = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        HealthTarget target = Target(1);
        await using var monitor = new HealthMonitor(timeProvider: new FixedClock(now), probe: new FakeProbe((_, _) => FakeProbe.Fail));
        monitor.Update([target]);
        Assert.Equal(now, monitor.Snapshot()[target].LastChange);
        await Wait.HoldsAsync(() => !monitor.Snapshot()[target].Healthy, "it is down");
        Assert.Equal(now, monitor.Snapshot()[target].LastProbe);
    }

    /// <summary>Wall-clock time stands still; timers run as usual.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
