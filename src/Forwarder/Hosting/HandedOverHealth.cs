using Forwarder.Health;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// The health marks an upgrade's predecessor hands over (<see cref="HealthMark.Format"/>), in <see cref="EnvironmentVariable"/>:
/// the successor's checks start from them, so a backend down before the upgrade stays down.
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
}
