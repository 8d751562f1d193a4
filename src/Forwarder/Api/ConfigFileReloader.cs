using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// Re-reads the configuration file and hands it to the runtime, which validates it whole and publishes it
/// or refuses it (the running configuration then stays as it was). A file identical in content to the
/// running configuration changes nothing, so a touch or a save without edits does not bump the table
/// version. Reloads are serialised; every outcome is logged, each error on its own line.
/// </summary>
public sealed class ConfigFileReloader(string path, ForwarderRuntime runtime, ILogger log)
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public ReloadResult Reload(string trigger)
    {
        lock (_gate)
        {
            long before = runtime.Snapshots.Current.Version;
            string text;
            try
            {
                text = ConfigFileText.Read(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Refused(trigger, ChangeResult.Refused(before, $"cannot read {Path}: {e.Message}"));
            }

            ConfigLoadResult loaded = ForwarderConfigLoader.Load(text);
            string[] warnings = loaded.Warnings.Select(w => w.ToString()).ToArray();
            if (loaded.Config is { } config && config == runtime.Config)
            {
                log.ConfigUnchanged(Path, trigger, before);
                return new ReloadResult(new ChangeResult(true, before, [], warnings), Changed: false);
            }

            ChangeResult result = runtime.ApplyYaml(text);
            if (!result.Applied)
                return Refused(trigger, result);
            foreach (string warning in result.Warnings)
                log.ConfigWarning(Path, warning);
            log.ConfigReloaded(Path, trigger, result.Version);
            return new ReloadResult(result, Changed: true);
        }
    }

    private ReloadResult Refused(string trigger, ChangeResult result)
    {
        log.ConfigRefused(Path, trigger, result.Errors.Count, result.Version);
        foreach (string error in result.Errors)
            log.ConfigError(Path, error);
        return new ReloadResult(result, Changed: false);
    }
}
