using System.Runtime.Versioning;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

/// <summary>The rise/fall state machine, driven by hand.</summary>
[SupportedOSPlatform("linux")]
public sealed class BackendHealthTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Up = ProbeResult.Passed("connected", TimeSpan.FromMilliseconds(1));
    private static readonly ProbeResult Refused = ProbeResult.Failed("connect: Connection refused", TimeSpan.FromMilliseconds(2));

    private static DateTimeOffset At(int probe) => Start + TimeSpan.FromMilliseconds(100 * probe);

    /// <summary>Records <paramref name="results"/> ('S' success, 'F' failure) and returns after which ones the state changed.</summary>
    private static string Run(BackendHealth health, string results)
    {
        var changes = new System.Text.StringBuilder();
        for (int i = 0; i < results.Length; i++)
            changes.Append(health.Record(results[i] == 'S' ? Up : Refused, At(i + 1)) ? '^' : '.');
        return changes.ToString();
    }

    [Fact]
    public void A_new_backend_is_healthy_before_any_probe()
    {
        var health = new BackendHealth(rise: 2, fall: 2, Start);
        BackendHealthStatus status = health.Status;
        Assert.True(status.Healthy);
        Assert.Equal(0, status.Probes);
        Assert.Equal(Start, status.LastChange);
        Assert.Null(status.LastProbe);
        Assert.Null(status.LastFailureReason);
    }

    [Fact]
    public void A_first_probe_that_fails_takes_the_backend_out_at_once()
    {
        var health = new BackendHealth(rise: 2, fall: 2, Start);
        Assert.True(health.Record(Refused, At(1)));
        Assert.False(health.Status.Healthy);
        Assert.Equal("1 failure in a row: connect: Connection refused", health.Status.LastChangeReason);
        Assert.Equal(At(1), health.Status.LastChange);
    }

    [Theory]
    [InlineData(2, 2, "SFF", "..^")]
    [InlineData(2, 2, "SFSFSF", "......")] // flapping never reaches fall
    [InlineData(2, 3, "SFFSFFF", "......^")] // a success starts the count again
    [InlineData(2, 2, "SFFSS", "..^.^")]
    [InlineData(3, 2, "SFFSSFSSS", "..^.....^")]
    [InlineData(1, 1, "SFSFS", ".^^^^")]
    [InlineData(2, 2, "FSSFF", "^.^.^")]
    public void Fall_failures_take_it_out_and_rise_successes_bring_it_back(int rise, int fall, string results, string changes)
    {
        var health = new BackendHealth(rise, fall, Start);
        Assert.Equal(changes, Run(health, results));
    }

    [Fact]
    public void Counters_follow_every_result()
    {
        var health = new BackendHealth(rise: 2, fall: 2, Start);
        Run(health, "SSFFS");
        BackendHealthStatus status = health.Status;
        Assert.False(status.Healthy);
        Assert.Equal(5, status.Probes);
        Assert.Equal(2, status.Failures);
        Assert.Equal(1, status.ConsecutiveSuccesses);
        Assert.Equal(0, status.ConsecutiveFailures);
        Assert.Equal("connect: Connection refused", status.LastFailureReason);
        Assert.Equal(At(4), status.LastChange);
        Assert.Equal("2 failures in a row: connect: Connection refused", status.LastChangeReason);
        Assert.Equal(At(5), status.LastProbe);
        Assert.Equal(TimeSpan.FromMilliseconds(1), status.LastLatency);

        Assert.True(health.Record(Up, At(6)));
        Assert.Equal("2 successes in a row: connected", health.Status.LastChangeReason);
    }

    [Fact]
    public void A_fault_is_counted_and_changes_nothing_else()
    {
        var health = new BackendHealth(rise: 2, fall: 2, Start);
        Run(health, "SF");
        BackendHealthStatus before = health.Status;
        health.RecordFault();
        Assert.Equal(before with { Faults = 1 }, health.Status);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Rise_and_fall_are_at_least_one(int rise, int fall) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackendHealth(rise, fall, Start));
}
