using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.FlowTable;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.ControlPlane;

/// <summary>
/// Answers "where does this flow go?" from the published snapshot — the one the workers forward with, health
/// and weights included — with <see cref="FlowDecision"/>, the function the data path's decision is held to:
/// the VIP the workers would match, the hash options and seed it applies, the flow hash, the Maglev slot and its
/// backend. With connection tables it also reads each worker's entry for the flow, and says where the next
/// packet would go on that worker. The queue a flow reaches is the NIC's RSS choice, which this process cannot
/// compute, so every table is read: with <see cref="ConnectionTable.Peek"/>, which writes nothing and never
/// returns a torn entry, on the caller's thread while the workers run.
/// </summary>
public static class FlowLookup
{
    /// <exception cref="FlowQueryException">The client and the VIP are of different IP versions, or no VIP matches.</exception>
    public static FlowAnswer Answer(ConfiguredSnapshot published, FlowQuery query, IReadOnlyList<QueueConnections> tables)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(tables);
        bool clientV6 = query.Client.AddressFamily == AddressFamily.InterNetworkV6;
        bool vipV6 = query.Vip.AddressFamily == AddressFamily.InterNetworkV6;
        if (clientV6 != vipV6)
            throw new FlowQueryException($"client {query.Client} is {Family(clientV6)} but VIP {query.Vip} is {Family(vipV6)}: a flow has one IP version");

        ForwardingSnapshot snapshot = published.Snapshot;
        IpVersion version = vipV6 ? IpVersion.V6 : IpVersion.V4;
        byte protocol = query.Protocol == VipProtocol.Udp ? IpProtocol.Udp : IpProtocol.Tcp;
        WireAddress vipAddress = WireAddress.FromIPAddress(query.Vip);
        ushort vipPort = query.VipPort ?? 0;
        int vipIndex = snapshot.FindVip(vipAddress, version, protocol, BinaryPrimitives.ReverseEndianness(vipPort));
        if (vipIndex < 0)
            throw new FlowQueryException(NoVip(published, query));

        VipEntry entry = snapshot.Vips[vipIndex];
        ConfiguredVip configured = published.Vips[vipIndex];
        WireAddress client = WireAddress.FromIPAddress(query.Client);
        uint portsWord = FlowHash.PortsWord(query.ClientPort ?? 0, vipPort);
        FlowChoice choice = FlowDecision.Decide(entry, client, portsWord);
        FlowBackend? backend = choice.HasBackend ? Backend(entry, configured, choice.Backend) : null;

        var notes = new List<string>();
        if (query.ClientPort is null && (entry.HashOptions & (FlowHashOptions.ZeroSourcePort | FlowHashOptions.DestinationPortOnly)) == 0)
            notes.Add("no client port given: hashed as 0; a real client's port picks its own slot");
        if (query.VipPort is null)
            notes.Add("no VIP port given: the every-port VIP hashes it as 0 anyway; the connection tables were read with port 0");
        if (entry.AllowedSources is { } allowed && !allowed.Allows(client))
            notes.Add("the client is outside the VIP's allowed_sources: its packets are dropped (source_not_allowed)");
        if (backend is null)
            notes.Add("the VIP has no backend that can take traffic: its packets are dropped (no_backend)");
        if (tables.Count > 0)
            notes.Add("a TCP SYN always takes the Maglev choice; later packets keep a remembered backend while it is configured and not down");
        FlowQuic? quic = query.ConnectionId is { } cid ? Quic(entry, configured, client, portsWord, cid, tables.Count > 0 && !entry.FlowTableBypass, notes) : null;

        FlowConnection[] connections = Connections(tables, entry, configured, backend,
            new FlowKey(client, vipAddress, portsWord, protocol, version));
        return new FlowAnswer(
            snapshot.Version,
            Endpoint(query.Client, query.ClientPort),
            VipIdentity.Of(configured.Config).ToString(),
            protocol == IpProtocol.Udp ? "udp" : "tcp",
            ConfigNames.Of(ConfigNames.Modes, entry.Mode),
            entry.Digest,
            entry.RingSize,
            HashOptionNames(entry.HashOptions),
            BinaryPrimitives.ReverseEndianness((ushort)choice.HashedPorts),
            BinaryPrimitives.ReverseEndianness((ushort)(choice.HashedPorts >> 16)),
            choice.Hash,
            "0x" + choice.Hash.ToString("x8", CultureInfo.InvariantCulture),
            choice.HasBackend ? choice.Slot : null,
            backend,
            QueueText(tables),
            tables.Count,
            connections,
            notes,
            quic);
    }

    /// <summary>The <see cref="FlowQuic"/> part: <see cref="FlowDecision.DecideQuic"/> for a short-header packet with <paramref name="cid"/>.</summary>
    private static FlowQuic Quic(VipEntry entry, ConfiguredVip configured, in WireAddress client, uint portsWord, byte[] cid, bool remembers, List<string> notes)
    {
        if (entry.Quic is not { } ids)
            throw new FlowQueryException($"cid only for a quic VIP; {VipIdentity.Of(configured.Config)} has quic off");
        QuicFlowChoice choice = FlowDecision.DecideQuic(entry, client, portsWord, cid);
        uint serverId = choice.ConnectionId.ServerId;
        notes.Add("quic: the answer is for a short-header packet with this destination connection id; long-header Initial and 0-RTT packets carry the client's own id and take the Maglev choice (backend above)");
        if (choice.Decision.Outcome == QuicCounter.RetiredServerId)
        {
            int holder = ids.Find(serverId);
            notes.Add(holder >= 0
                ? $"quic: server id {serverId} is {configured.Backends[holder].Id}'s, which is down"
                : $"quic: server id {serverId} was a removed backend's");
        }
        if (remembers)
            notes.Add(choice.Decision.Routed
                ? "quic: a packet routed by its connection id never asks the connection table, and the table then remembers that backend for the flow"
                : "quic: a packet without a live server id asks the connection table as any packet does: a live entry listed above keeps it on its backend");
        return new FlowQuic(
            Convert.ToHexStringLower(cid),
            choice.ConnectionId.CidVersion,
            choice.ConnectionId.HasServerId ? serverId : null,
            QuicCounters.Name(choice.Decision.Outcome),
            choice.Backend >= 0 ? Backend(entry, configured, choice.Backend) : null);
    }

    private static string QueueText(IReadOnlyList<QueueConnections> tables) => tables.Count switch
    {
        0 => "any: the forwarder runs stateless, every worker decides alike",
        1 => $"{tables[0].Queue}, the only queue served",
        _ => "not knowable here (the NIC's RSS hash picks it): every worker's table was read",
    };

    private static FlowConnection[] Connections(IReadOnlyList<QueueConnections> tables, VipEntry entry, ConfiguredVip configured, FlowBackend? maglev, in FlowKey key)
    {
        uint now = FlowClock.Now();
        string maglevChoice = maglev is null ? "dropped (no_backend)" : Name(maglev);
        var found = new List<FlowConnection>();
        foreach (QueueConnections queue in tables)
        {
            switch (queue.Table.Peek(key, now, out ConnectionPeek peek))
            {
                case PeekOutcome.Found:
                    int kept = FlowDecision.Remembered(entry, peek.Backend, peek.Version, peek.Port);
                    string remembered = kept >= 0
                        ? Name(Backend(entry, configured, kept))
                        : new BackendId(peek.Backend.ToIPAddress(peek.Version), peek.Port == 0 ? null : peek.Port) + " (no longer configured, or down)";
                    found.Add(new FlowConnection(queue.Queue, peek.Alive ? "live" : "expired", remembered,
                        Math.Round(peek.Idle.TotalSeconds, 3),
                        peek.Alive && kept >= 0 ? Name(Backend(entry, configured, kept)) : maglevChoice));
                    break;
                case PeekOutcome.Unsettled:
                    found.Add(new FlowConnection(queue.Queue, "unsettled", null, null, null));
                    break;
            }
        }
        return found.ToArray();
    }

    private static FlowBackend Backend(VipEntry entry, ConfiguredVip configured, int id)
    {
        BackendConfig config = configured.Backends[id];
        return new FlowBackend(config.Address.ToString(), config.Port, config.Weight, entry.Backends[id].Down ? "down" : "up", id);
    }

    private static string Name(FlowBackend backend) =>
        new BackendId(IPAddress.Parse(backend.Address), backend.Port is { } port ? (ushort)port : null).ToString();

    private static IReadOnlyList<string> HashOptionNames(FlowHashOptions options)
    {
        var names = new List<string>();
        if ((options & FlowHashOptions.ZeroSourcePort) != 0)
            names.Add("no_source_port");
        if ((options & FlowHashOptions.ZeroDestinationPort) != 0)
            names.Add("any_port");
        if ((options & FlowHashOptions.DestinationPortOnly) != 0)
            names.Add("dport_only");
        return names;
    }

    private static string NoVip(ConfiguredSnapshot published, FlowQuery query)
    {
        string asked = $"{Endpoint(query.Vip, query.VipPort)}/{(query.Protocol == VipProtocol.Udp ? "udp" : "tcp")}";
        string[] onAddress = published.Vips.Where(v => v.Config.Address.Equals(query.Vip)).Select(v => VipIdentity.Of(v.Config).ToString()).ToArray();
        if (onAddress.Length == 0)
            return $"no VIP matches {asked}: {query.Vip} is no VIP address of the running configuration";
        string hint = query.VipPort is null ? " (give the VIP's port: VIP:PORT)" : "";
        return $"no VIP matches {asked}{hint}; the VIPs on {query.Vip} are {string.Join(", ", onAddress)}";
    }

    private static string Endpoint(IPAddress address, ushort? port)
    {
        string text = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return port is { } p ? $"{text}:{p.ToString(CultureInfo.InvariantCulture)}" : text;
    }

    private static string Family(bool v6) => v6 ? "IPv6" : "IPv4";
}
