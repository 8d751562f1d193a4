using Forwarder.Api;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// The operator's handles on a running <c>forwarder run --config</c>: the configuration file is reloaded
/// on SIGHUP and when it changes (debounced), and the control API serves status, metrics and live
/// changes. Started once the data path is up; stopped before it comes down. A failure here (the API's
/// address in use, a directory that cannot be watched) is logged and forwarding goes on without it.
/// </summary>
public sealed class ControlSurface : IDisposable
{
    private readonly ReloadScheduler _scheduler;
    private readonly ConfigFileWatcher _watcher;
    private ControlApiServer? _server;

    private ControlSurface(ReloadScheduler scheduler, ConfigFileWatcher watcher, ControlApiServer? server)
    {
        _scheduler = scheduler;
        _watcher = watcher;
        _server = server;
    }

    /// <summary>Where the API listens; null without one.</summary>
    public ApiAddress? ApiAddress => _server?.Address;

    /// <param name="api">Where the API listens; null for none.</param>
    /// <param name="token">The token every API request must carry; null for none.</param>
    /// <param name="upgrade">Runs an upgrade for <c>POST /upgrade</c>; null: the API refuses it.</param>
    public static ControlSurface Start(ForwarderHost host, string configPath, ApiAddress? api, ApiToken? token, ILogger log, Func<string?, string, UpgradeReply>? upgrade = null)
    {
        var reloader = new ConfigFileReloader(configPath, host.Runtime ?? throw new ArgumentException("the host runs without a configuration", nameof(host)), log);
        var scheduler = new ReloadScheduler(reloader.Reload, ReloadScheduler.DefaultDelay, log);
        var watcher = new ConfigFileWatcher(configPath, scheduler.Request, log);
        ControlApiServer? server = null;
        if (api is not null)
        {
            try
            {
                server = ControlApiServer.StartAsync(new HostForwarderControl(host, reloader, upgrade), api, log, token).GetAwaiter().GetResult();
            }
            catch (Exception e) // whatever keeps the API from starting, forwarding goes on
            {
                log.ApiStartFailed(api.ToString(), e.Message);
            }
        }
        return new ControlSurface(scheduler, watcher, server);
    }

    /// <summary>Re-reads the configuration file soon (SIGHUP); never blocks the caller.</summary>
    public void RequestReload(string trigger) => _scheduler.Request(trigger);

    /// <summary>Stops the API (in-flight requests get up to 2 s), the file watching and any pending reload.</summary>
    public void Dispose()
    {
        ControlApiServer? server = Interlocked.Exchange(ref _server, null);
        server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _watcher.Dispose();
        _scheduler.Dispose();
    }
}
