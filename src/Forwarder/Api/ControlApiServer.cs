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

    private ControlApiServer(WebApplication app, ApiAddress address, ApiFaults faults)
    {
        _app = app;
        Address = address;
        Faults = faults;
    }

    /// <summary>Where the server listens, the port resolved when port 0 was asked for.</summary>
    public ApiAddress Address { get; }

    public ApiFaults Faults { get; }

    /// <param name="token">With a token, every request must carry <c>Authorization: Bearer TOKEN</c>.</param>
    /// <exception cref="IOException">The address cannot be listened on (in use, no permission, not a socket's path...).</exception>
    /// <exception cref="ArgumentException">A TCP address off loopback without a token.</exception>
    public static async Task<ControlApiServer> StartAsync(IForwarderControl control, ApiAddress address, ILogger log, ApiToken? token = null, CancellationToken cancel = default)
    {
        if (token is null && !address.IsLocal)
            throw new ArgumentException(ApiAddress.NeedsTokenMessage(address), nameof(token));
        string? socketPath = address.SocketPath;
        string? boundPath = null;
        if (socketPath is not null)
        {
            UnixSocketFile.Prepare(socketPath);
            boundPath = UnixSocketFile.PrivateBindPath(socketPath);
        }

        WebApplication? app = null;
        var faults = new ApiFaults();
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "forwarder" });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
                if (boundPath is not null)
                    kestrel.ListenUnixSocket(boundPath);
                else
                    kestrel.Listen(address.EndPoint!);
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
            if (boundPath is not null)
                UnixSocketFile.Discard(boundPath);
            throw;
        }

        ApiAddress bound = address;
        if (address.EndPoint is { Port: 0 } endPoint && app.Urls.FirstOrDefault() is { } url)
            bound = ApiAddress.Tcp(new System.Net.IPEndPoint(endPoint.Address, new Uri(url).Port));
        log.ApiListening(bound.ToString());
        return new ControlApiServer(app, bound, faults);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        using (var stopping = new CancellationTokenSource(StopTimeout))
            await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
        if (Address.SocketPath is { } path)
            File.Delete(path);
    }
}
