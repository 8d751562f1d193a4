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

    /// <summary>The API's listening socket, which an upgrade hands to its successor; -1 without an API.</summary>
    public int ApiListenerFd => _server?.ListenerFd ?? -1;

    /// <summary>The successor holds the API's listening socket: stopping leaves it listening (see <see cref="ControlApiServer.HandOver"/>).</summary>
    public void HandOverApi() => _server?.HandOver();

    /// <param name="api">Where the API listens; null for none.</param>
    /// <param name="token">The token every API request must carry; null for none.</param>
    /// <param name="upgrade">Runs an upgrade for <c>POST /upgrade</c>; null: the API refuses it.</param>
    /// <param name="apiListener">The API's listening socket handed over by an upgrade's predecessor; -1 for none (bind <paramref name="api"/>).</param>
    public static ControlSurface Start(ForwarderHost host, string configPath, ApiAddress? api, ApiToken? token, ILogger log, Func<string?, string, UpgradeReply>? upgrade = null,
        int apiListener = -1)
    {
        var reloader = new ConfigFileReloader(configPath, host.Runtime ?? throw new ArgumentException("the host runs without a configuration", nameof(host)), log);
        var scheduler = new ReloadScheduler(reloader.Reload, ReloadScheduler.DefaultDelay, log);
        var watcher = new ConfigFileWatcher(configPath, scheduler.Request, log);
        ControlApiServer? server = null;
        if (api is not null)
        {
            var control = new HostForwarderControl(host, reloader, upgrade);
            if (apiListener >= 0)
            {
                try
                {
                    server = ControlApiServer.StartAsync(control, api, log, token, inheritedListener: apiListener).GetAwaiter().GetResult();
                }
                catch (Exception e) // a socket handed over that cannot serve: bind the address as a fresh start does
                {
                    log.ApiHandOverRefused(api.ToString(), e.Message);
                }
            }
            server ??= StartApi(control, api, token, log);
        }
        return new ControlSurface(scheduler, watcher, server);
    }

    private static ControlApiServer? StartApi(HostForwarderControl control, ApiAddress api, ApiToken? token, ILogger log)
    {
        try
        {
            return ControlApiServer.StartAsync(control, api, log, token).GetAwaiter().GetResult();
        }
        catch (Exception e) // whatever keeps the API from starting, forwarding goes on
        {
            log.ApiStartFailed(api.ToString(), e.Message);
            return null;
        }
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
