using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// Re-reads the configuration file and hands it to the runtime, which validates it whole and publishes it
/// or refuses it (the running configuration then stays as it was). A file identical in content to the
/// running configuration changes nothing, so a touch or a save without edits does not bump the table
/// version. Reloads are serialised; every outcome is logged, each error on its own line.
///
/// Nothing a reload meets — a file that cannot be read, a refused file, a fault of any kind while reading
/// or applying it — leaves this class as an exception: a reload runs on the file watcher's timer, on
/// SIGHUP and for <c>POST /reload</c>, and none of them may end the process. Each such reload is counted
/// in <see cref="Failures"/> (<c>forwarder_config_reload_failures_total</c>) and the running state stays.
/// </summary>
public sealed class ConfigFileReloader
{
    private readonly Lock _gate = new();
    private readonly ForwarderRuntime _runtime;
    private readonly ILogger _log;
    private readonly Func<string, string> _read;
    private long _failures;

    /// <param name="read">Reads the file's text; <see cref="ConfigFileText.Read"/> unless a test injects faults.</param>
    public ConfigFileReloader(string path, ForwarderRuntime runtime, ILogger log, Func<string, string>? read = null)
    {
        Path = path;
        _runtime = runtime;
        _log = log;
        _read = read ?? ConfigFileText.Read;
    }

    public string Path { get; }

    /// <summary>Reloads that left the running configuration in place: the file unreadable or refused, or a fault while reloading.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public ReloadResult Reload(string trigger)
    {
        lock (_gate)
        {
            long before = _runtime.Snapshots.Current.Version;
            try
            {
                return ReloadFile(trigger, before);
            }
            catch (Exception e) // a fault of the reload itself: whatever it is, the running configuration stays
            {
                _log.ReloadFault(trigger, e);
                return Refused(trigger, ChangeResult.Refused(before, $"reloading {Path} failed ({e.GetType().Name}: {e.Message}); the running configuration stays"));
            }
        }
    }

    private ReloadResult ReloadFile(string trigger, long before)
    {
        string text;
        try
        {
            text = _read(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refused(trigger, ChangeResult.Refused(before, $"cannot read {Path}: {e.Message}"));
        }

        ConfigLoadResult loaded = ForwarderConfigLoader.Load(text);
        string[] warnings = loaded.Warnings.Select(w => w.ToString()).ToArray();
        if (loaded.Config is { } config && config == _runtime.Config)
        {
            _log.ConfigUnchanged(Path, trigger, before);
            return new ReloadResult(new ChangeResult(true, before, [], warnings), Changed: false);
        }

        ChangeResult result = _runtime.ApplyYaml(text);
        if (!result.Applied)
            return Refused(trigger, result);
        foreach (string warning in result.Warnings)
            _log.ConfigWarning(Path, warning);
        _log.ConfigReloaded(Path, trigger, result.Version);
        return new ReloadResult(result, Changed: true);
    }

    private ReloadResult Refused(string trigger, ChangeResult result)
    {
        Interlocked.Increment(ref _failures);
        _log.ConfigRefused(Path, trigger, result.Errors.Count, result.Version);
        foreach (string error in result.Errors)
            _log.ConfigError(Path, error);
        return new ReloadResult(result, Changed: false);
    }
}
