using System.Buffers.Binary;
using System.Net.Sockets;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.Maglev;
using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.ControlPlane;

/// <summary>
/// Turns a validated <see cref="ForwarderConfig"/> into the <see cref="ForwardingSnapshot"/> the workers
/// read (with the configuration of each VIP entry beside it, <see cref="ConfiguredSnapshot"/>): VIP and nat-reply lookup tables, each VIP's Maglev slots and its backends with everything
/// their rewrite needs precomputed, and zeroed counters for every worker. Runs off the data path.
/// Given the last build's <see cref="SnapshotParts"/>, it redoes only the VIPs whose inputs changed;
/// the counters are new for every snapshot all the same.
/// </summary>
public static class SnapshotBuilder
{
    /// <param name="down">Backends marked down by health checks: in no table (as if weight 0) and they keep no connection.</param>
    /// <param name="parts">
    /// The last build's entries and tables: a VIP whose inputs are unchanged keeps its entry, and a Maglev table
    /// whose inputs were seen before (or belong to another VIP too) is reused, not rebuilt. Without it, each
    /// distinct table is built once for this snapshot.
    /// </param>
    public static ConfiguredSnapshot Build(ForwarderConfig config, ReadOnlySpan<byte> ownMac, int workerCount, long version = 1,
        IReadOnlySet<(VipIdentity Vip, BackendId Backend)>? down = null, SnapshotParts? parts = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workerCount);
        var routerMacs = new EthernetAddresses(config.RouterMac.GetAddressBytes(), ownMac);
        var vips = new ConfiguredVip[config.Vips.Count];
        var vipKeys = new Dictionary<VipKey, int>();
        var vipAddresses = new Dictionary<VipKey, int>();
        var natKeys = new Dictionary<VipKey, int>();
        var natReplies = new List<NatReplyEntry>();
        int backendCounters = 0;

        parts ??= new SnapshotParts();
        bool sameSettings = parts.SameSettings(config, ownMac);
        var inputs = new VipTableInputs[vips.Length];
        var keys = new MaglevTableKey[vips.Length];
        for (int v = 0; v < vips.Length; v++)
        {
            if (!sameSettings || !parts.TryReuse(v, config.Vips[v], backendCounters, down, out vips[v], out inputs[v]))
                inputs[v] = VipTableInputs.Of(WithoutDown(config.Vips[v], down));
            keys[v] = inputs[v].Key;
            backendCounters += inputs[v].Backends.Count;
        }
        MaglevTable?[] maglev = parts.Tables.Resolve(keys);

        backendCounters = 0;
        for (int v = 0; v < vips.Length; v++)
        {
            VipConfig vip = config.Vips[v];
            WireAddress address = WireAddress.FromIPAddress(vip.Address);
            IpVersion ipVersion = VersionOf(vip.Address);
            vips[v] ??= Entry(config, v, inputs[v].Backends, maglev[v], down, routerMacs, ownMac, backendCounters, parts.AllowLists, parts.LastQuic(VipIdentity.Of(vip)));
            ConfiguredVip configured = vips[v];
            BackendEntry[] backends = configured.Entry.Backends;
            backendCounters += backends.Length;
            foreach (byte protocol in Protocols(vip.Protocol))
                Add(vipKeys, new VipKey(address, ipVersion, protocol, NetworkOrder(vip.Port)), v, "VIP");
            vipAddresses.TryAdd(new VipKey(address, ipVersion, 0, 0), 0);

            if (vip.Mode == ForwardingMode.Nat)
            {
                for (int b = 0; b < backends.Length; b++)
                {
                    BackendConfig backend = configured.Backends[b];
                    ushort backendPort = backend.Port ?? vip.Port;
                    foreach (byte protocol in Protocols(vip.Protocol))
                    {
                        var key = new VipKey(backends[b].Address, backends[b].Version, protocol, NetworkOrder(backendPort));
                        Add(natKeys, key, natReplies.Count, "nat backend");
                    }
                    natReplies.Add(new NatReplyEntry
                    {
                        Vip = address,
                        VipPort = vip.Port,
                        Macs = routerMacs,
                        VipIndex = v,
                        BackendCounterIndex = backends[b].CounterIndex,
                    });
                }
            }
        }
        parts.Remember(config, ownMac, vips, inputs);

        var counters = new LoadBalancerCounters[workerCount];
        for (int w = 0; w < workerCount; w++)
            counters[w] = new LoadBalancerCounters(vips.Length, backendCounters);
        VipEntry[] entries = vips.Select(v => v.Entry).ToArray();
        parts.AllowLists.Retain(entries.Select(e => e.AllowedSources));
        var snapshot = new ForwardingSnapshot
        {
            Version = version,
            Vips = entries,
            VipLookup = new VipKeyTable(vipKeys),
            VipAddresses = new VipKeyTable(vipAddresses),
            NatReplyLookup = new VipKeyTable(natKeys),
            NatReplies = natReplies.ToArray(),
            Mtu = config.InterfaceMtu,
            GuePort = config.Gue.Port,
            CommonIndexer = new RingIndexer(CommonRingSize(entries)),
            Counters = counters,
        };
        return new ConfiguredSnapshot(snapshot, vips);
    }

    /// <summary>VIP <paramref name="index"/> as the workers read it, its backends' counters from <paramref name="counterBase"/> on.</summary>
    private static ConfiguredVip Entry(ForwarderConfig config, int index, IReadOnlyList<BackendConfig> sortedBackends, MaglevTable? maglev,
        IReadOnlySet<(VipIdentity Vip, BackendId Backend)>? down, EthernetAddresses routerMacs, ReadOnlySpan<byte> ownMac, int counterBase,
        SourceAllowListCache allowLists, QuicServerIds? lastQuic)
    {
        VipConfig vip = config.Vips[index];
        var identity = VipIdentity.Of(vip);
        bool IsDown(BackendConfig b) => down is not null && down.Contains((identity, b.Id));
        var table = new VipTable(vip, sortedBackends, maglev);
        WireAddress address = WireAddress.FromIPAddress(vip.Address);
        var backends = new BackendEntry[table.Backends.Count];
        var backendLookup = new Dictionary<VipKey, int>();
        for (int b = 0; b < backends.Length; b++)
        {
            backends[b] = Backend(config, vip, table.Backends[b], routerMacs, ownMac, counterBase + b) with { Down = IsDown(table.Backends[b]) };
            backendLookup.TryAdd(new VipKey(backends[b].Address, backends[b].Version, 0, backends[b].NatPort), b);
        }
        var entry = new VipEntry
        {
            Index = index,
            Address = address,
            Version = VersionOf(vip.Address),
            Mode = vip.Mode,
            HashOptions = vip.HashOptions,
            FlowTableBypass = vip.FlowTable == VipFlowTable.Bypass,
            Slots = table.Table?.SharedSlots,
            Backends = backends,
            BackendLookup = new VipKeyTable(backendLookup),
            Digest = table.Digest,
            AllowedSources = allowLists.For(vip),
            Quic = QuicServerIdTable.Build(vip, table.Backends, lastQuic),
        };
        return new ConfiguredVip(entry, vip, table.Backends);
    }

    /// <summary>The VIP as its table sees it: a backend marked down counts as weight 0.</summary>
    private static VipConfig WithoutDown(VipConfig vip, IReadOnlySet<(VipIdentity Vip, BackendId Backend)>? down)
    {
        if (down is null || down.Count == 0)
            return vip;
        var identity = VipIdentity.Of(vip);
        if (!vip.Backends.Any(b => down.Contains((identity, b.Id))))
            return vip;
        return vip with { Backends = vip.Backends.Select(b => down.Contains((identity, b.Id)) ? b with { Weight = 0 } : b).ToEquatableArray() };
    }

    private static BackendEntry Backend(ForwarderConfig config, VipConfig vip, BackendConfig backend, EthernetAddresses routerMacs, ReadOnlySpan<byte> ownMac, int counterIndex)
    {
        IpVersion version = VersionOf(backend.Address);
        EthernetAddresses macs = vip.Mode == ForwardingMode.DsrL2 && backend.Mac is not null
            ? new EthernetAddresses(backend.Mac.GetAddressBytes(), ownMac)
            : routerMacs;
        int overhead = vip.Mode switch
        {
            ForwardingMode.Ipip => IpipEncapsulation.Overhead(version),
            ForwardingMode.Gue => GueEncapsulation.Overhead(version),
            _ => 0,
        };
        System.Net.IPAddress? gueSource = version == IpVersion.V4 ? config.Gue.SourceV4 : config.Gue.SourceV6;
        return new BackendEntry
        {
            Address = WireAddress.FromIPAddress(backend.Address),
            Version = version,
            Macs = macs,
            Overhead = overhead,
            NatPort = vip.Mode == ForwardingMode.Nat ? backend.Port ?? 0 : (ushort)0,
            GueSource = vip.Mode == ForwardingMode.Gue && gueSource is not null ? WireAddress.FromIPAddress(gueSource) : default,
            CounterIndex = counterIndex,
        };
    }

    /// <summary>The ring size most VIPs with a table use (ties: the smaller); the default when none has one.</summary>
    private static int CommonRingSize(VipEntry[] vips) =>
        vips.Where(v => v.Slots is not null)
            .GroupBy(v => v.RingSize)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => g.Key)
            .FirstOrDefault(MaglevRingSize.Default);

    private static void Add(Dictionary<VipKey, int> keys, VipKey key, int value, string what)
    {
        if (!keys.TryAdd(key, value))
            throw new ArgumentException($"{what} {key.Address} is listed twice for the same port and protocol; the configuration must be validated first");
    }

    private static byte[] Protocols(VipProtocol protocol) => protocol switch
    {
        VipProtocol.Tcp => [IpProtocol.Tcp],
        VipProtocol.Udp => [IpProtocol.Udp],
        _ => [IpProtocol.Tcp, IpProtocol.Udp],
    };

    private static IpVersion VersionOf(System.Net.IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;

    /// <summary>The port as its two wire bytes load from memory, the form <see cref="VipKey"/> holds.</summary>
    private static ushort NetworkOrder(ushort port) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(port) : port;
}
