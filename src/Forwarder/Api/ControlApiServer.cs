using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// The control API: an HTTP server (Kestrel, from the shared framework) on a loopback address or a Unix
/// socket. It runs on the thread pool — never on a worker's core-pinned thread — and only reads
/// counters or changes the configuration through <see cref="IForwarderControl.Runtime"/>. Every request
/// passes <see cref="ApiRequestGuard"/> first (no Origin, the API's own Host, the token, JSON bodies).
/// </summary>
public sealed class ControlApiServer : IAsyncDisposable
{
    /// <summary>Bodies are one VIP or backend: a few kilobytes at most.</summary>
    public const long MaxRequestBytes = 1 << 20;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private int _disposed;
    private bool _handedOver;

    private ControlApiServer(WebApplication app, ApiAddress address, ApiFaults faults, int listenerFd)
    {
        _app = app;
        Address = address;
        Faults = faults;
        ListenerFd = listenerFd;
    }

    /// <summary>The listening socket's descriptor (Kestrel's): what an upgrade hands to its successor.</summary>
    public int ListenerFd { get; }

    /// <summary>Where the server listens, the port resolved when port 0 was asked for.</summary>
    public ApiAddress Address { get; }

    public ApiFaults Faults { get; }

    /// <param name="token">With a token, every request must carry <c>Authorization: Bearer TOKEN</c>.</param>
    /// <exception cref="IOException">The address cannot be listened on (in use, no permission, not a socket's path...).</exception>
    /// <exception cref="ArgumentException">A TCP address off loopback without a token.</exception>
    /// <param name="inheritedListener">The listening socket an upgrade's predecessor handed over (already published at a Unix socket's path), or -1 to bind <paramref name="address"/>.</param>
    public static async Task<ControlApiServer> StartAsync(IForwarderControl control, ApiAddress address, ILogger log, ApiToken? token = null, CancellationToken cancel = default,
        int inheritedListener = -1)
    {
        if (token is null && !address.IsLocal)
            throw new ArgumentException(ApiAddress.NeedsTokenMessage(address), nameof(token));
        string? socketPath = address.SocketPath;
        string? boundPath = null;
        if (inheritedListener >= 0)
            inheritedListener = ApiListener.Adopt(inheritedListener, address);
        else if (socketPath is not null)
        {
            UnixSocketFile.Prepare(socketPath);
            boundPath = UnixSocketFile.PrivateBindPath(socketPath);
        }

        WebApplication? app = null;
        var faults = new ApiFaults();
        int listener = inheritedListener;
        System.Net.Sockets.Socket? bindSocket = null;
        try
        {
            if (listener < 0)
            {
                bindSocket = ApiListener.Bind(address, boundPath);
                listener = ApiListener.Copy(bindSocket);
            }
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "forwarder" });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
                kestrel.ListenHandle((ulong)listener); // Kestrel closes it when it stops
            });
            builder.Services.AddRoutingCore();
            builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
            app = builder.Build();

            var guard = new ApiRequestGuard(token);
            app.Use(guard.Invoke); // before any endpoint: a refused request reaches none
            app.Use((context, next) => ApiFaultBarrier.Invoke(context, next, faults, log));
            ControlApiRoutes.Map(app, control, faults, log);
            await app.StartAsync(cancel);
            if (boundPath is not null)
                UnixSocketFile.Publish(boundPath, socketPath!);
        }
        catch
        {
            if (app is not null)
                await app.DisposeAsync();
            else if (listener >= 0)
                Forwarder.Interop.Posix.Close(listener);
            if (boundPath is not null)
                UnixSocketFile.Discard(boundPath);
            throw;
        }
        finally
        {
            bindSocket?.Dispose(); // Kestrel's copy listens on; a Unix socket's file was moved to its path already
        }

        ApiAddress bound = address;
        if (address.EndPoint is { Port: 0 } endPoint)
            bound = ApiAddress.Tcp(new System.Net.IPEndPoint(endPoint.Address, ApiListener.Port(listener)));
        log.ApiListening(bound.ToString() + (inheritedListener >= 0 ? " (handed over by the predecessor)" : ""));
        return new ControlApiServer(app, bound, faults, listener);
    }

    /// <summary>
    /// This process's successor holds the listening socket now: stopping closes only this process's copy, leaves the
    /// socket listening and a Unix socket's file in place. Connections already accepted here are answered first.
    /// </summary>
    public void HandOver()
    {
        _handedOver = true;
        ApiListener.MarkShared(ListenerFd);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        using (var stopping = new CancellationTokenSource(StopTimeout))
            await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
        if (Address.SocketPath is { } path && !_handedOver)
            File.Delete(path);
    }
}
