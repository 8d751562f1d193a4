using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Forwarder.Configuration;
using Forwarder.Health;
using Xunit.Abstractions;

namespace Forwarder.Tests.Health;

/// <summary>Real probes at the default settings against services on loopback: how fast a death and a recovery are seen.</summary>
[SupportedOSPlatform("linux")]
public sealed class HealthMonitorDetectionTests(ITestOutputHelper output)
{
    /// <summary>
    /// At the defaults (100 ms interval, fall 2, rise 2) a death is seen after two refused probes, about 200 ms, and
    /// the reasons name exactly fall and rise probes. The time bounds are ten times that, for a machine whose thread
    /// pool other tests keep busy (the detection time itself is logged).
    /// </summary>
    [Fact]
    public async Task A_stopped_service_is_down_after_fall_refused_probes_and_back_after_rise_successes()
    {
        LoopbackServer server = LoopbackServer.Accepting();
        ushort port = server.Port;
        var target = new HealthTarget(IPAddress.Loopback, port, new HealthCheckConfig { Port = port });
        var clock = Stopwatch.StartNew();
        var changes = Channel.CreateUnbounded<(bool Healthy, string Reason, TimeSpan At)>();
        await using var monitor = new HealthMonitor();
        monitor.Changed += (_, healthy, reason) => changes.Writer.TryWrite((healthy, reason, clock.Elapsed));
        monitor.Update([target]);
        await Wait.HoldsAsync(() => monitor.Snapshot()[target] is { Healthy: true, ConsecutiveSuccesses: >= 2 }, "the service is confirmed healthy");

        TimeSpan stopped = clock.Elapsed;
        await server.DisposeAsync();
        (string reason, TimeSpan at) = await NextAsync(changes.Reader, healthy: false, after: stopped);
        TimeSpan detection = at - stopped;
        output.WriteLine($"down after {detection.TotalMilliseconds:F0} ms: {reason}");
        Assert.True(detection < TimeSpan.FromSeconds(2), $"down after {detection.TotalMilliseconds:F0} ms");
        Assert.StartsWith("2 failures in a row", reason, StringComparison.Ordinal);
        Assert.Contains("refused", reason, StringComparison.OrdinalIgnoreCase);

        TimeSpan restarted = clock.Elapsed;
        await using LoopbackServer again = LoopbackServer.Accepting(port);
        (reason, at) = await NextAsync(changes.Reader, healthy: true, after: restarted);
        TimeSpan recovery = at - restarted;
        output.WriteLine($"up after {recovery.TotalMilliseconds:F0} ms: {reason}");
        Assert.True(recovery < TimeSpan.FromSeconds(2), $"up after {recovery.TotalMilliseconds:F0} ms");
        Assert.Equal("2 successes in a row: connected", reason);
        Assert.Equal(0, monitor.Faults);
    }

    /// <summary>The first change to <paramref name="healthy"/> seen after <paramref name="after"/> (earlier ones are flaps of a busy machine).</summary>
    private static async Task<(string Reason, TimeSpan At)> NextAsync(ChannelReader<(bool Healthy, string Reason, TimeSpan At)> changes, bool healthy, TimeSpan after)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            (bool Healthy, string Reason, TimeSpan At) change = await changes.ReadAsync(limit.Token);
            if (change.Healthy == healthy && change.At >= after)
                return (change.Reason, change.At);
        }
    }

    [Fact]
    public async Task A_backend_silent_from_the_start_is_down_after_its_first_probe()
    {
        using SilentPort silent = await SilentPort.CreateAsync();
        var target = new HealthTarget(IPAddress.Loopback, silent.Port, new HealthCheckConfig { Port = silent.Port });
        var down = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var monitor = new HealthMonitor();
        monitor.Changed += (changed, healthy, reason) => down.TrySetResult(reason);

        var clock = Stopwatch.StartNew();
        monitor.Update([target]);
        Assert.True(monitor.Snapshot()[target].Healthy); // healthy until probed
        string reason = await down.Task.WaitAsync(TimeSpan.FromSeconds(3));
        output.WriteLine($"down after {clock.Elapsed.TotalMilliseconds:F0} ms: {reason}");
        // Expected within one interval and one timeout (200 ms); the bound is loose because a thread pool
        // that other tests keep busy can hold a continuation back for a while.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"down after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal("1 failure in a row: no connection within 100 ms", reason);
    }

    [Fact]
    public async Task An_http_check_follows_the_status_the_service_answers()
    {
        int status = 200;
        await using LoopbackServer server = LoopbackServer.Start(async (socket, cancellationToken) =>
        {
            await LoopbackServer.ReadRequestAsync(socket, cancellationToken);
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {Volatile.Read(ref status)} X\r\n\r\n"), System.Net.Sockets.SocketFlags.None, cancellationToken);
        });
        var check = new HealthCheckConfig { Kind = HealthCheckKind.Http, Path = "/healthz", Port = server.Port, Interval = TimeSpan.FromMilliseconds(300), Timeout = TimeSpan.FromMilliseconds(300) };
        var target = new HealthTarget(IPAddress.Loopback, server.Port, check);
        await using var monitor = new HealthMonitor();
        monitor.Update([target]);
        await Wait.HoldsAsync(() => monitor.Snapshot()[target].ConsecutiveSuccesses >= 1, "the service answers 200");

        Volatile.Write(ref status, 503);
        await Wait.HoldsAsync(() => !monitor.Snapshot()[target].Healthy, "a 503 takes it out");
        Assert.Equal("HTTP 503, expected 2xx", monitor.Snapshot()[target].LastFailureReason);
        Volatile.Write(ref status, 200);
        await Wait.HoldsAsync(() => monitor.Snapshot()[target].Healthy, "a 200 brings it back");
    }
}
