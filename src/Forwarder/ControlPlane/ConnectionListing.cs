using Forwarder.Configuration;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.ControlPlane;

/// <summary>
/// A sample of the connections the workers' tables remember for one VIP (<c>GET /flows</c>): each table is read
/// from a random bucket on with <see cref="ConnectionTable.Sample"/>, which writes nothing and never makes the
/// worker wait, until <c>limit</c> live entries are found or every table was read through.
/// </summary>
public static class ConnectionListing
{
    /// <summary>Entries listed when the request names no limit.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most entries one request may ask for.</summary>
    public const int MaxLimit = 10_000;

    public static IReadOnlyList<ListedConnection> List(IReadOnlyList<QueueConnections> tables, VipConfig vip, int limit, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(vip);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        random ??= Random.Shared;
        WireAddress address = WireAddress.FromIPAddress(vip.Address);
        IpVersion version = vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;
        byte protocol = vip.Protocol switch
        {
            VipProtocol.Tcp => IpProtocol.Tcp,
            VipProtocol.Udp => IpProtocol.Udp,
            _ => 0,
        };
        uint now = FlowClock.Now();
        var listed = new List<ListedConnection>();
        var samples = new List<ConnectionSample>();
        foreach (QueueConnections queue in tables)
        {
            if (listed.Count >= limit)
                break;
            samples.Clear();
            queue.Table.Sample(address, version, vip.Port, protocol, random.Next(queue.Table.BucketCount), now, limit - listed.Count, samples);
            listed.AddRange(samples.Select(s => new ListedConnection(queue.Queue, s)));
        }
        return listed;
    }
}
