using System.Collections.Concurrent;
using System.Runtime.Versioning;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

/// <summary>A probe whose answers the test writes; it counts the calls per target (the first call is 1).</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeProbe(Func<HealthTarget, int, CancellationToken, Task<ProbeResult>> answer) : IHealthProbe
{
    public static readonly ProbeResult Pass = ProbeResult.Passed("ok", TimeSpan.Zero);
    public static readonly ProbeResult Fail = ProbeResult.Failed("down", TimeSpan.Zero);

    private readonly ConcurrentDictionary<HealthTarget, int> _calls = new();

    public FakeProbe(Func<HealthTarget, int, ProbeResult> answer)
        : this((target, call, _) => Task.FromResult(answer(target, call)))
    {
    }

    public int Calls(HealthTarget target) => _calls.GetValueOrDefault(target);

    public async ValueTask<ProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        int call = _calls.AddOrUpdate(target, 1, (_, calls) => calls + 1);
        return await answer(target, call, cancellationToken);
    }
}
