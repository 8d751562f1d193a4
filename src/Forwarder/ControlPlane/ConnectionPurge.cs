using System.Net;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.ControlPlane;

/// <summary>
/// Forgets every connection the workers' tables remember on one backend (<c>POST /flows/purge</c>). The tables
/// belong to their workers, so this posts a <see cref="PurgeRequest"/> to each (<see cref="TableRequests"/>) and
/// polls for the answers, up to a timeout: the workers carry the purges out between batches and while idle, a
/// bounded slice at a time, and never wait for this side. One purge runs at a time per process.
/// </summary>
public static class ConnectionPurge
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// Purges <paramref name="backend"/> (every port, or only <paramref name="port"/>, a nat backend's) from every
    /// table; null when another purge is still running.
    /// </summary>
    public static async Task<PurgeOutcome?> Run(IReadOnlyList<QueueConnections> tables, IPAddress backend, ushort? port, TimeSpan timeout, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(backend);
        if (!await OneAtATime.WaitAsync(0, cancel))
            return null;
        try
        {
            WireAddress address = WireAddress.FromIPAddress(backend);
            IpVersion version = backend.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;
            DateTime deadline = DateTime.UtcNow + timeout;
            var posted = new List<(int Queue, PurgeRequest Request)>();
            var unposted = new List<int>();
            foreach (QueueConnections queue in tables)
            {
                var request = new PurgeRequest(address, version, port ?? PurgeRequest.AnyPort);
                // A table still busy with a purge that outlived an earlier wait: wait for it within the same bound.
                while (!queue.Table.Requests.TryPost(request) && DateTime.UtcNow < deadline)
                    await Task.Delay(PollInterval, cancel);
                if (request.Posted)
                    posted.Add((queue.Queue, request));
                else
                    unposted.Add(queue.Queue);
            }
            while (posted.Any(p => !p.Request.Done) && DateTime.UtcNow < deadline)
                await Task.Delay(PollInterval, cancel);
            var unfinished = posted.Where(p => !p.Request.Done).Select(p => p.Queue).Concat(unposted).Order().ToArray();
            return new PurgeOutcome(posted.Sum(p => p.Request.Removed), tables.Count, unfinished);
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
