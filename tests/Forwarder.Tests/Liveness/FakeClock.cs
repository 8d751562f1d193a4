using System.Runtime.Versioning;
namespace Forwarder.Tests.Liveness;

/// <summary>A monotonic clock the test moves by hand.</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeClock
{
    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(100);

    public void Advance(TimeSpan by) => Now += by;

    public void AdvanceMs(double milliseconds) => Now += TimeSpan.FromMilliseconds(milliseconds);
}
