using System.Globalization;
using System.Net.Sockets;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.FlowTable;
using Forwarder.Packets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// <c>GET /flows</c> lists a sample of a VIP's remembered connections (<see cref="ConnectionListing"/>, a read beside
/// the workers); <c>POST /flows/purge</c> forgets one backend's (<see cref="ConnectionPurge"/>, carried out by the
/// workers). 400 for a malformed query or a forwarder without connection tables, 404 for a VIP or backend not
/// configured, 409 while another purge runs, 503 when a worker did not finish within the wait.
/// </summary>
internal static class FlowsEndpoint
{
    private const string NoTables = "this forwarder runs without a connection table, so it remembers no connection: start it with --flow-table ENTRIES";

    public static ApiReply List(IForwarderControl control, FlowsArguments arguments)
    {
        ForwarderConfig config = control.Runtime.Config;
        try
        {
            VipIdentity identity = arguments.Vip();
            int limit = arguments.Limit();
            if (control.ConnectionTables.Count == 0)
                return ApiReply.Refused([NoTables], null);
            if (config.Vips.FirstOrDefault(v => VipIdentity.Of(v) == identity) is not { } vip)
                return ApiReply.NotFound($"no VIP {identity} is configured; configured: {string.Join(", ", config.Vips.Select(VipIdentity.Of))}");
            IReadOnlyList<ListedConnection> listed = ConnectionListing.List(control.ConnectionTables, vip, limit);
            return ApiReply.Ok(new FlowListReply(identity.ToString(), limit, control.ConnectionTables.Count, listed.Select(Entry).ToArray()));
        }
        catch (InvalidRequestException e)
        {
            return ApiReply.Refused(e.Errors, null);
        }
    }

    public static async Task<ApiReply> Purge(IForwarderControl control, FlowsArguments arguments, ILogger log, CancellationToken cancel)
    {
        ForwarderConfig config = control.Runtime.Config;
        long version = control.Runtime.Published.Snapshot.Version;
        (System.Net.IPAddress address, ushort? port) backend;
        try
        {
            backend = arguments.Backend();
        }
        catch (InvalidRequestException e)
        {
            return ApiReply.Refused(e.Errors, version);
        }
        if (control.ConnectionTables.Count == 0)
            return ApiReply.Refused([NoTables], version);
        string name = backend.port is { } p ? $"{Bracketed(backend.address)}:{p}" : backend.address.ToString();
        bool configured = config.Vips.SelectMany(v => v.Backends).Any(b => b.Address.Equals(backend.address) && (backend.port is null || b.Port == backend.port));
        if (!configured)
            return ApiReply.NotFound($"backend {name} is not a backend of any VIP (a connection remembered on a backend no longer configured is not used; nothing to purge)", version);
        PurgeOutcome? outcome;
        try
        {
            outcome = await ConnectionPurge.Run(control.ConnectionTables, backend.address, backend.port, ConnectionPurge.DefaultTimeout, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away: the workers finish the purge all the same; nobody is left to answer.
            return new ApiReply(StatusCodes.Status503ServiceUnavailable, new ErrorReply(["the request was aborted; the purge goes on"], version));
        }
        if (outcome is null)
            return new ApiReply(StatusCodes.Status409Conflict, new ErrorReply(["another purge is running; try again when it has answered"], version));
        if (outcome.Unfinished.Count > 0)
        {
            return new ApiReply(StatusCodes.Status503ServiceUnavailable, new ErrorReply([
                $"the workers of queue(s) {string.Join(", ", outcome.Unfinished)} did not finish the purge within {ConnectionPurge.DefaultTimeout.TotalSeconds:F0} s " +
                $"(it goes on there); {outcome.Purged} entries purged so far"], version));
        }
        log.FlowsPurged(name, outcome.Purged, outcome.Queues);
        return ApiReply.Ok(new PurgeReply(name, outcome.Purged, outcome.Queues));
    }

    private static FlowListEntry Entry(ListedConnection listed)
    {
        ConnectionSample s = listed.Entry;
        string backend = s.Backend.ToIPAddress(s.BackendVersion).ToString();
        if (s.BackendPort != 0)
            backend = $"{(s.BackendVersion == IpVersion.V6 ? $"[{backend}]" : backend)}:{s.BackendPort.ToString(CultureInfo.InvariantCulture)}";
        string protocol = s.Protocol switch
        {
            IpProtocol.Tcp => "tcp",
            IpProtocol.Udp => "udp",
            _ => s.Protocol.ToString(CultureInfo.InvariantCulture),
        };
        return new FlowListEntry(s.Client.ToIPAddress(s.Version).ToString(), s.ClientPort, s.VipPort, protocol, backend, listed.Queue, (long)s.Idle.TotalMilliseconds);
    }

    private static string Bracketed(System.Net.IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
