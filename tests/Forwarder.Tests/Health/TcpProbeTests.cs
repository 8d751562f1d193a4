using System.Runtime.Versioning;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

[SupportedOSPlatform("linux")]
public sealed class TcpProbeTests
{
    private readonly TcpProbe _probe = new();

    [Fact]
    public async Task A_listening_port_passes()
    {
        await using LoopbackServer server = LoopbackServer.Accepting();
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Tcp(server.Port), CancellationToken.None);
        Assert.True(result.Success, result.Reason);
        Assert.Equal("connected", result.Reason);
        Assert.InRange(result.Latency, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_closed_port_fails_at_once_as_refused()
    {
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Tcp(ProbeTargets.ClosedPort()), CancellationToken.None);
        Assert.False(result.Success);
        Assert.StartsWith("connect: ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("refused", result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(result.Latency < TimeSpan.FromSeconds(1), $"{result.Latency.TotalMilliseconds} ms"); // not the 2 s timeout
    }

    [Fact]
    public async Task A_silent_port_fails_after_the_timeout()
    {
        using SilentPort silent = await SilentPort.CreateAsync();
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Tcp(silent.Port, timeoutMs: 100), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("no connection within 100 ms", result.Reason);
        Assert.InRange(result.Latency, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_cancelled_probe_fails_without_throwing()
    {
        using SilentPort silent = await SilentPort.CreateAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Tcp(silent.Port, timeoutMs: 1000), cancel.Token);
        Assert.False(result.Success);
        Assert.Equal("cancelled", result.Reason);
    }
}
