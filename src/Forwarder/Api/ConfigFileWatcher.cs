using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// Watches the configuration file's directory (so that a file replaced by rename, as editors and
/// deployment tools do, is seen like one written in place) and asks for a reload when the file is
/// written, created or renamed into place. Events for other files of the directory are ignored.
/// The watcher's events run on a thread of its own, where an exception would end the process: a fault
/// in handling one is logged and the watching goes on.
/// </summary>
public sealed class ConfigFileWatcher : IDisposable
{
    private readonly FileSystemWatcher? _watcher;
    private readonly string _path;
    private readonly Action<string> _changed;
    private readonly ILogger _log;

    /// <param name="changed">Called (on a thread of the watcher) with the reason, for each event of the file.</param>
    public ConfigFileWatcher(string path, Action<string> changed, ILogger log)
    {
        _path = Path.GetFullPath(path);
        _changed = changed;
        _log = log;
        string directory = Path.GetDirectoryName(_path)!;
        try
        {
            _watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += OnEvent;
            _watcher.Created += OnEvent;
            _watcher.Renamed += OnEvent;
            _watcher.Error += (_, _) => Notify("file watcher overflow");
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            _watcher?.Dispose();
            _watcher = null;
            log.WatchFailed(directory, e.Message);
        }
    }

    /// <summary>Whether changes are being watched (false when the directory could not be watched).</summary>
    public bool IsWatching => _watcher is not null;

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (string.Equals(e.FullPath, _path, StringComparison.Ordinal))
            Notify("file change");
    }

    private void Notify(string reason)
    {
        try
        {
            _changed(reason);
        }
        catch (Exception e) // on the watcher's thread an exception would end the process
        {
            _log.ReloadFault(reason, e);
        }
    }

    public void Dispose() => _watcher?.Dispose();
}
