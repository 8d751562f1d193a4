using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Health;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// The health marks an upgrade's predecessor hands over (<see cref="HealthMark.Format"/>), in <see cref="EnvironmentVariable"/>:
/// the successor's tables leave out a backend down there before its workers take over (<see cref="ApplyDown"/>), and its
/// checks start from them, so a backend down before the upgrade stays down throughout.
/// </summary>
public static class HandedOverHealth
{
    public const string EnvironmentVariable = "FORWARDER_UPGRADE_HEALTH";

    /// <summary>The marks handed over (none without the variable), malformed ones logged and left out; removes the variable.</summary>
    public static IReadOnlyDictionary<string, HealthMark> Take(ILogger log)
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (text is null)
            return new Dictionary<string, HealthMark>();
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        Forwarder.Interop.Posix.Unsetenv(EnvironmentVariable);
        return HealthMark.Parse(text, log);
    }

    /// <summary>
    /// Takes every backend whose target <paramref name="marks"/> names down out of its VIP's table now, in one change: called
    /// before the successor's workers take over, so its first batch already leaves them out. The checks, which start after
    /// that batch, begin from the same marks and keep them. Returns how many VIP backends were taken out.
    /// </summary>
    public static int ApplyDown(ForwarderRuntime runtime, IReadOnlyDictionary<string, HealthMark> marks)
    {
        if (!marks.Values.Any(mark => !mark.Healthy))
            return 0;
        var down = new List<(VipIdentity Vip, BackendId Backend)>();
        foreach (VipConfig vip in runtime.Config.Vips)
        {
            foreach (BackendConfig backend in vip.Backends)
            {
                if (HealthTargets.For(vip, backend) is { } target && marks.TryGetValue(target.ToString(), out HealthMark? mark) && !mark.Healthy)
                    down.Add((VipIdentity.Of(vip), backend.Id));
            }
        }
        if (down.Count > 0)
            runtime.SetHealth(down, healthy: false);
        return down.Count;
    }
}
