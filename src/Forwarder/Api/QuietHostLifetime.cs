using Microsoft.Extensions.Hosting;

namespace Forwarder.Api;

/// <summary>
/// The API's host lifetime: it starts and stops when <c>forwarder run</c> says so, and — unlike the default
/// console lifetime — takes no signals of its own (SIGINT and SIGTERM belong to <c>forwarder run</c>).
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
