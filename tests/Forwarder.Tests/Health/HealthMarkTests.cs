using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

/// <summary>
/// The health marks an upgrade hands over: written for every probed target, read back by target, a target down before
/// starts down (and needs <c>rise</c> successes, not one), and text that is not what the predecessor writes is ignored
/// line by line with a log, never thrown.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HealthMarkTests
{
    private static readonly HealthCheckConfig Slow = new() { Port = 80, Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(1), Rise = 3, Fall = 2 };

    private static HealthTarget Target(int last) => new(IPAddress.Parse($"10.0.0.{last}"), 80, Slow);

    private static BackendHealthStatus Status(bool healthy, int successes, int failures, long probes = 5) =>
        new() { Healthy = healthy, ConsecutiveSuccesses = successes, ConsecutiveFailures = failures, Probes = probes, LastChange = DateTimeOffset.UnixEpoch };

    [Fact]
    public void Probed_targets_round_trip_and_unprobed_ones_are_left_out()
    {
        var snapshot = new Dictionary<HealthTarget, BackendHealthStatus>
        {
            [Target(1)] = Status(false, 1, 0),
            [Target(2)] = Status(true, 0, 1),
            [Target(3)] = Status(true, 0, 0, probes: 0),
        };
        var log = new ListLogger();

        IReadOnlyDictionary<string, HealthMark> marks = HealthMark.Parse(HealthMark.Format(snapshot), log);

        Assert.Equal(2, marks.Count);
        Assert.Equal(new HealthMark(false, 1, 0), marks[Target(1).ToString()]);
        Assert.Equal(new HealthMark(true, 0, 1), marks[Target(2).ToString()]);
        Assert.Empty(log.Entries);
    }

    [Theory]
    [InlineData("sideways 0 0 10.0.0.1:80 tcp")]
    [InlineData("down 0 10.0.0.1:80 tcp")]
    [InlineData("down -1 0 10.0.0.1:80 tcp")]
    [InlineData("down 1 1 10.0.0.1:80 tcp")]
    [InlineData("down 99999999999 0 10.0.0.1:80 tcp")]
    [InlineData("down 1000001 0 10.0.0.1:80 tcp")]
    [InlineData("down 0 x 10.0.0.1:80 tcp")]
    [InlineData("down 0 0 ")]
    [InlineData("DOWN 0 2 10.0.0.1:80 tcp")]
    [InlineData("down\t0 2 10.0.0.1:80 tcp")]
    [InlineData("\u0000\u0001\u00ff")]
    public void A_malformed_line_is_logged_and_ignored_and_the_others_are_kept(string line)
    {
        var log = new ListLogger();

        IReadOnlyDictionary<string, HealthMark> marks = HealthMark.Parse($"down 0 2 10.0.0.9:80 tcp\n{line}\nup 1 0 10.0.0.8:80 tcp", log);

        Assert.Equal(new HealthMark(false, 0, 2), marks["10.0.0.9:80 tcp"]);
        Assert.Equal(new HealthMark(true, 1, 0), marks["10.0.0.8:80 tcp"]);
        Assert.Equal(2, marks.Count);
        Assert.Contains(log.Entries, e => e.EventId == 205 && e.Message.Contains("is no health mark", StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_marked_twice_is_not_restored_at_all()
    {
        var log = new ListLogger();

        IReadOnlyDictionary<string, HealthMark> marks = HealthMark.Parse("down 0 2 10.0.0.9:80 tcp\nup 1 0 10.0.0.9:80 tcp\n\n", log);

        Assert.Empty(marks);
        Assert.Contains(log.Entries, e => e.EventId == 205 && e.Message.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_beyond_the_limit_are_ignored_with_one_log()
    {
        var log = new ListLogger();
        string text = string.Join('\n', Enumerable.Range(0, HealthMark.MaxLines + 5).Select(i => $"down 0 1 10.{i >> 16}.{(i >> 8) & 255}.{i & 255}:80 tcp"));

        IReadOnlyDictionary<string, HealthMark> marks = HealthMark.Parse(text, log);

        Assert.Equal(HealthMark.MaxLines, marks.Count);
        Assert.Single(log.Entries, e => e.EventId == 205);
    }

    [Fact]
    public async Task A_target_handed_over_down_starts_down_and_needs_rise_successes()
    {
        HealthTarget down = Target(1), fresh = Target(2);
        var probe = new FakeProbe((_, _) => FakeProbe.Pass);
        await using var monitor = new HealthMonitor(probe: probe);
        monitor.Restore(new Dictionary<string, HealthMark> { [down.ToString()] = new(false, 0, 4) });

        monitor.Update([down, fresh]);

        BackendHealthStatus status = monitor.Snapshot()[down];
        Assert.False(status.Healthy);
        Assert.Equal(4, status.ConsecutiveFailures);
        Assert.Equal("down before the upgrade", status.LastChangeReason);
        Assert.True(monitor.Snapshot()[fresh].Healthy);
        var health = new BackendHealth(3, 2, DateTimeOffset.UnixEpoch, new HealthMark(false, 0, 4));
        Assert.False(health.Record(FakeProbe.Pass, DateTimeOffset.UnixEpoch)); // one success is not rise = 3
        Assert.False(health.Record(FakeProbe.Pass, DateTimeOffset.UnixEpoch));
        Assert.True(health.Record(FakeProbe.Pass, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_target_handed_over_up_with_a_failure_needs_fall_failures_not_one()
    {
        var health = new BackendHealth(3, 2, DateTimeOffset.UnixEpoch, new HealthMark(true, 0, 0));

        Assert.False(health.Record(FakeProbe.Fail, DateTimeOffset.UnixEpoch)); // a fresh target would go down at its first failure
        Assert.True(health.Record(FakeProbe.Fail, DateTimeOffset.UnixEpoch));
    }
}
