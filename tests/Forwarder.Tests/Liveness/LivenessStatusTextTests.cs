using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Cli;

namespace Forwarder.Tests.Liveness;

/// <summary>The line <c>forwarder status</c> and <c>forwarder drain</c> print about the liveness device, one per state.</summary>
[SupportedOSPlatform("linux")]
public sealed class LivenessStatusTextTests
{
    [Theory]
    [InlineData(true, false, false, null, null, "liveness device fwd0: up; 2 watchdog stall(s)")]
    [InlineData(false, true, false, 3.26, "SIGTERM", "liveness device fwd0: down, draining for 3.3 s (SIGTERM); 2 watchdog stall(s)")]
    [InlineData(false, false, true, null, null, "liveness device fwd0: down, a worker stalled (watchdog); 2 watchdog stall(s)")]
    [InlineData(false, false, false, null, null, "liveness device fwd0: down; 2 watchdog stall(s)")]
    public void Each_state_has_its_line(bool up, bool draining, bool withdrawn, double? seconds, string? trigger, string expected) =>
        Assert.Equal(expected, StatusText.Liveness(new LivenessStatus("fwd0", up, draining, 2, withdrawn, seconds, trigger)));
}
