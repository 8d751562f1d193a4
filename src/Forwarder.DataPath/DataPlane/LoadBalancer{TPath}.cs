using System.Runtime.CompilerServices;
using Forwarder.FlowTable;
using Forwarder.Hashing;
using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.DataPlane;

/// <summary>
/// The load-balancing stage of a worker, run over the whole batch one step at a time:
/// <list type="number">
/// <item>parse every frame (<see cref="PacketBatchParser"/>);</item>
/// <item>classify: find each packet's VIP (exact port, then port 0), apply the VIP's hash options and
///   take its hash seed (512 × its ring size, as a Katran built for that ring size seeds it);
///   answer echo requests to VIP addresses; rewrite replies of nat backends back to their VIP — never a
///   packet addressed to this host itself (<see cref="SnapshotSource.HostAddresses"/>), which is no reply;</item>
/// <item>hash every flow (<see cref="FlowHashBatch"/>) and compute its ring index with the ring size most
///   VIPs share (<see cref="Maglev.RingIndexer"/>), both on the lookup path <typeparamref name="TPath"/>;</item>
/// <item>forward: the VIP's Maglev slot names the backend — for a <c>quic</c> VIP a live server id in the QUIC
///   connection id names it first (<see cref="QuicRouting"/>); packets too big to encapsulate are answered
///   with ICMP; the rest are rewritten in place for the VIP's mode.</item>
/// </list>
/// With a <see cref="ConnectionTable"/> (optional, one per worker) the forward step first asks it where
/// the connection went before: a remembered backend that is still configured and not down keeps the
/// connection (so additions, weight changes and drains move no established flow); a TCP SYN, a miss or
/// a backend that is gone or down takes the table's choice, which is then remembered.
///
/// The snapshot is read once per batch, so a batch never sees two configurations. Every frame ends
/// with one verdict; nothing here allocates, locks or throws. <typeparamref name="TPath"/> hashes and indexes
/// the flows: workers run <see cref="VectorFlowLookup"/> (as <see cref="LoadBalancer"/>); tests run
/// <see cref="ScalarFlowLookup"/> beside it and compare the two, bit for bit. The JIT compiles each path
/// on its own, so neither branches on the other.
/// </summary>
public unsafe struct LoadBalancer<TPath> : IBatchProcessor
    where TPath : struct, IFlowLookupPath
{
    private const int NoTarget = -1;

    private readonly SnapshotSource _source;
    private readonly int _worker;
    private readonly ParsedPacket[] _packets;
    private readonly FlowKeyBatch _keys;
    /// <summary>Per frame: the index of the VIP it is forwarded for, or <see cref="NoTarget"/> when classification settled it.</summary>
    private readonly int[] _targets;
    private readonly int[] _ringIndices;
    /// <summary>Per frame with a target: the id of the backend it goes to (in its VIP's <see cref="VipEntry.Backends"/>).</summary>
    private readonly int[] _backendIds;
    /// <summary>The frames the ipip pass left to the pass for other modes and frames too big, in batch order.</summary>
    private readonly int[] _others;
    private readonly ConnectionTable? _connections;
    /// <summary>With a connection table: the flow keys of the frames to forward, in batch order (packed: the k-th is the k-th such frame's).</summary>
    private readonly FlowKey[]? _flowKeys;

    /// <summary>Buckets of the connection table checked for expired entries per batch: keeps every entry looked at well within the tick counter's wrap.</summary>
    private const int SweepBucketsPerBatch = 4;

    /// <param name="connections">This worker's connection table; null = purely stateless.</param>
    public LoadBalancer(SnapshotSource source, int workerIndex, ConnectionTable? connections = null)
    {
        _connections = connections;
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workerIndex, source.WorkerCount);
        _source = source;
        _worker = workerIndex;
        _packets = new ParsedPacket[PacketBatch.MaxSize];
        _keys = new FlowKeyBatch(PacketBatch.MaxSize);
        _targets = new int[PacketBatch.MaxSize];
        _ringIndices = new int[PacketBatch.MaxSize];
        _backendIds = new int[PacketBatch.MaxSize];
        _others = new int[PacketBatch.MaxSize];
        if (connections is not null)
            _flowKeys = new FlowKey[PacketBatch.MaxSize];
    }

    public void Process(PacketBatch batch)
    {
        ForwardingSnapshot snapshot = _source.Current;
        HostAddressSet hostAddresses = _source.HostAddresses;
        LoadBalancerCounters counters = snapshot.Counters[_worker];
        int count = batch.Count;

        PacketBatchParser.Parse(batch, _packets, _keys);
        Classify(batch, snapshot, hostAddresses, counters);
        uint now = 0;
        int targeted = 0;
        if (_connections is not null)
        {
            now = FlowClock.Now();
            _connections.Sweep(now, SweepBucketsPerBatch);
            _connections.ServeRequests();
            targeted = PrefetchConnections(count, snapshot.Vips); // the buckets' lines load while the batch is hashed
        }

        ReadOnlySpan<uint> sourceWords = _keys.SourceWords.AsSpan(0, count);
        ReadOnlySpan<uint> ports = _keys.Ports.AsSpan(0, count);
        ReadOnlySpan<uint> seeds = _keys.Seeds.AsSpan(0, count);
        Span<uint> hashes = _keys.Hashes.AsSpan(0, count);
        Span<int> ringIndices = _ringIndices.AsSpan(0, count);
        TPath.Hash(sourceWords, ports, seeds, hashes);
        TPath.Index(snapshot.CommonIndexer, hashes, ringIndices);
        _connections?.PrefetchEntries(_flowKeys.AsSpan(0, targeted)); // the lines of the entries whose tags match

        Forward(batch, snapshot, counters, now);
    }

    private readonly void Classify(PacketBatch batch, ForwardingSnapshot snapshot, HostAddressSet hostAddresses, LoadBalancerCounters counters)
    {
        int count = batch.Count;
        DropReason[] verdicts = batch.Verdict;
        uint[] ports = _keys.Ports;
        uint[] seeds = _keys.Seeds;
        VipEntry[] vips = snapshot.Vips;
        for (int i = 0; i < count; i++)
        {
            _targets[i] = NoTarget;
            if (verdicts[i] != DropReason.None)
                continue;
            ref readonly ParsedPacket packet = ref _packets[i];
            if (packet.Kind == PacketKind.EchoRequest)
            {
                verdicts[i] = AnswerEcho(batch, i, packet, snapshot, counters);
                continue;
            }

            int vip = snapshot.VipLookup.FindWithAnyPort(new VipKey(packet.Destination, packet.Version, packet.Protocol, DestinationPortAsLoaded(packet.PortsWord)));
            if (vip >= 0)
            {
                VipEntry entry = vips[vip];
                if (entry.AllowedSources is { } allowed && !allowed.Allows(packet.Source))
                {
                    verdicts[i] = DropReason.SourceNotAllowed;
                    counters.VipSourceNotAllowed[vip]++;
                    continue;
                }
                if (entry.Slots is null)
                {
                    verdicts[i] = DropReason.NoBackend;
                    continue;
                }
                ports[i] = FlowHash.ApplyOptions(ports[i], entry.HashOptions);
                if ((entry.HashOptions & FlowHashOptions.DestinationPortOnly) != 0)
                    _keys.SourceWords[i] = FlowHash.ApplyOptions(_keys.SourceWords[i], packet.Version == IpVersion.V6, entry.HashOptions);
                seeds[i] = entry.HashSeed;
                _targets[i] = vip;
                continue;
            }

            // The XDP program passes these to the kernel; one arrives here only before a new address reached its map.
            // (For an ICMP error the destination is the quoted packet's source: the host that sent it.)
            if (hostAddresses.Contains(packet.Destination, packet.Version))
            {
                verdicts[i] = DropReason.ToHost;
                continue;
            }

            int reply = snapshot.NatReplyLookup.FindWithAnyPort(new VipKey(packet.Source, packet.Version, packet.Protocol, SourcePortAsLoaded(packet.PortsWord)));
            verdicts[i] = reply >= 0
                ? RewriteNatReply(batch, i, packet, snapshot.NatReplies[reply], counters)
                : DropReason.UnknownVip;
        }
    }

    /// <summary>
    /// The forward step in three passes, so that the common frame's pass calls nothing and keeps its values in
    /// registers: every frame to forward gets its backend first — with a connection table or a quic VIP by
    /// <see cref="ChooseBackends"/> (the Maglev slot, the connection table, QUIC ids — each in batch order, as before),
    /// else by <see cref="LookUpSlots"/>; ipip frames that fit the MTU are rewritten and counted (<see cref="ForwardIpip"/>);
    /// the rest, other modes and frames too big, only when there are any (<see cref="ForwardOthers"/>). Frames are
    /// independent of each other from the choice on, so the order of the last two passes changes no verdict, byte or counter.
    /// </summary>
    private readonly void Forward(PacketBatch batch, ForwardingSnapshot snapshot, LoadBalancerCounters counters, uint now)
    {
        if (_connections is not null || snapshot.AnyQuic)
            ChooseBackends(batch.Count, snapshot, batch, counters, now);
        else
            LookUpSlots(batch.Count, snapshot);
        int others = ForwardIpip(batch, snapshot, counters);
        if (others > 0)
            ForwardOthers(batch, snapshot, counters, others);
    }

    /// <summary>
    /// Without a connection table or a quic VIP: writes <c>_backendIds[i]</c>, the backend of the frame's Maglev slot, for
    /// every frame with a target. A pass of its own, of loads that do not depend on each other, so that the slots' cache
    /// misses (a ring of 65,537 slots is 256 KiB) overlap instead of each holding up the rewrite of its frame.
    /// </summary>
    private readonly void LookUpSlots(int count, ForwardingSnapshot snapshot)
    {
        int[] targets = _targets;
        int[] ringIndices = _ringIndices;
        int[] backendIds = _backendIds;
        uint[] hashes = _keys.Hashes;
        VipEntry[] vips = snapshot.Vips;
        uint commonRingSize = snapshot.CommonIndexer.RingSize;
        for (int i = 0; i < count; i++)
        {
            int vip = targets[i];
            if (vip == NoTarget)
                continue;
            int[] slots = vips[vip].Slots!;
            backendIds[i] = slots[SlotOf(slots, ringIndices[i], hashes[i], commonRingSize)];
        }
    }

    /// <summary>The Maglev slot of a frame of <paramref name="slots"/>' VIP: its ring index when the ring has the common size, else its hash modulo the ring size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(int[] slots, int ringIndex, uint hash, uint commonRingSize) =>
        (uint)slots.Length == commonRingSize ? ringIndex : (int)(hash % (uint)slots.Length);

    /// <summary>Writes <c>_backendIds[i]</c>, the backend id, for every frame with a target.</summary>
    private readonly void ChooseBackends(int count, ForwardingSnapshot snapshot, PacketBatch batch, LoadBalancerCounters counters, uint now)
    {
        int[] targets = _targets;
        int[] ringIndices = _ringIndices;
        int[] backendIds = _backendIds;
        ParsedPacket[] packets = _packets;
        VipEntry[] vips = snapshot.Vips;
        uint[] hashes = _keys.Hashes;
        uint commonRingSize = snapshot.CommonIndexer.RingSize;
        int flow = 0; // with a connection table: the next frame to forward's index in _flowKeys
        for (int i = 0; i < count; i++)
        {
            int vip = targets[i];
            if (vip == NoTarget)
                continue;
            VipEntry entry = vips[vip];
            int[] slots = entry.Slots!;
            int slot = SlotOf(slots, ringIndices[i], hashes[i], commonRingSize);
            ref readonly ParsedPacket packet = ref packets[i];
            bool remembers = _connections is not null && !entry.FlowTableBypass; // then this frame has a key in _flowKeys
            backendIds[i] = entry.Quic is { } quic && packet.Kind == PacketKind.Flow
                ? RouteQuic(batch, i, packet, entry, quic, counters, vip, slots, slot, remembers ? flow++ : -1, now)
                : remembers ? Remembered(entry, packet, _flowKeys![flow++], slots[slot], now) : slots[slot];
        }
    }

    /// <summary>
    /// Rewrites and counts the frames for ipip VIPs that fit the MTU encapsulated (<see cref="IsPlainIpip"/>), to the
    /// backends the pass before chose; calls nothing. Returns how many frames with a target it left to
    /// <see cref="ForwardOthers"/>, listed in <c>_others</c>.
    /// </summary>
    private readonly int ForwardIpip(PacketBatch batch, ForwardingSnapshot snapshot, LoadBalancerCounters counters)
    {
        int count = batch.Count;
        DropReason[] verdicts = batch.Verdict;
        uint[] lengths = batch.Length;
        int[] targets = _targets;
        int[] backendIds = _backendIds;
        int[] others = _others;
        ParsedPacket[] packets = _packets;
        VipEntry[] vips = snapshot.Vips;
        long[] vipPackets = counters.VipPackets, vipBytes = counters.VipBytes;
        long[] backendPackets = counters.BackendPackets, backendBytes = counters.BackendBytes;
        int mtu = snapshot.Mtu;
        int left = 0;
        for (int i = 0; i < count; i++)
        {
            int vip = targets[i];
            if (vip == NoTarget)
                continue;
            VipEntry entry = vips[vip];
            ref readonly BackendEntry backend = ref entry.Backends[backendIds[i]];
            ref ParsedPacket packet = ref packets[i];
            if (!IsPlainIpip(entry, backend, packet, mtu))
            {
                others[left++] = i;
                continue;
            }
            uint length = lengths[i];
            FlowHashOptions options = entry.HashOptions;
            if ((options & FlowHashOptions.DestinationPortOnly) != 0)
                EncapsulationPort.ZeroClientAddress(ref packet);
            DropReason verdict = IpipEncapsulation.Apply(batch, i, packet, EncapsulationPort.Of(packet, options),
                backend.Address, backend.Version, backend.Macs);
            verdicts[i] = verdict;
            if (verdict == DropReason.None)
            {
                vipPackets[vip]++;
                vipBytes[vip] += length;
                backendPackets[backend.CounterIndex]++;
                backendBytes[backend.CounterIndex] += length;
            }
        }
        return left;
    }

    /// <summary>A frame <see cref="ForwardIpip"/> takes: its VIP encapsulates ipip and the encapsulated packet fits the MTU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainIpip(VipEntry entry, in BackendEntry backend, in ParsedPacket packet, int mtu) =>
        entry.Mode == ForwardingMode.Ipip && !(backend.Overhead > 0 && packet.IpTotalLength + backend.Overhead > mtu);

    /// <summary>
    /// The <paramref name="count"/> frames <see cref="ForwardIpip"/> left (listed in <c>_others</c>): answered with ICMP
    /// when too big, else rewritten for their VIP's mode.
    /// </summary>
    private readonly void ForwardOthers(PacketBatch batch, ForwardingSnapshot snapshot, LoadBalancerCounters counters, int count)
    {
        DropReason[] verdicts = batch.Verdict;
        int[] targets = _targets;
        int[] backendIds = _backendIds;
        VipEntry[] vips = snapshot.Vips;
        int mtu = snapshot.Mtu;
        foreach (int i in _others.AsSpan(0, count))
        {
            int vip = targets[i];
            VipEntry entry = vips[vip];
            ref readonly BackendEntry backend = ref entry.Backends[backendIds[i]];
            ref readonly ParsedPacket packet = ref _packets[i];
            uint length = batch.Length[i];
            if (backend.Overhead > 0 && packet.IpTotalLength + backend.Overhead > mtu)
            {
                DropReason answer = IcmpTooBig.Answer(batch, i, packet, mtu - backend.Overhead);
                if (answer == DropReason.None)
                    counters.TooBigAnswered++;
                verdicts[i] = answer;
                continue;
            }

            if ((entry.HashOptions & FlowHashOptions.DestinationPortOnly) != 0)
                EncapsulationPort.ZeroClientAddress(ref _packets[i]);
            DropReason verdict = entry.Mode switch
            {
                ForwardingMode.Gue => GueEncapsulation.Apply(batch, i, packet, EncapsulationPort.Of(packet, entry.HashOptions),
                    backend.Address, backend.Version, backend.GueSource, snapshot.GuePort, backend.Macs),
                ForwardingMode.DsrL2 => DsrL2Rewrite.Apply(batch, i, backend.Macs),
                _ => NatRewrite.ToBackend(batch, i, packet, backend.Address, backend.NatPort, backend.Macs),
            };
            verdicts[i] = verdict;
            if (verdict == DropReason.None)
            {
                counters.VipPackets[vip]++;
                counters.VipBytes[vip] += length;
                counters.BackendPackets[backend.CounterIndex]++;
                counters.BackendBytes[backend.CounterIndex] += length;
            }
        }
    }

    /// <summary>
    /// Computes the flow key of every frame still to forward and starts loading all their buckets' lines at
    /// once, so the lookups that follow overlap their cache misses instead of waiting for each in turn
    /// (<see cref="ConnectionTable.PrefetchEntries"/> follows once the batch is hashed). Frames of a VIP that bypasses the
    /// table get no key. Returns how many keys it wrote.
    /// </summary>
    private readonly int PrefetchConnections(int count, VipEntry[] vips)
    {
        FlowKey[] keys = _flowKeys!;
        int targeted = 0;
        for (int i = 0; i < count; i++)
        {
            int vip = _targets[i];
            if (vip != NoTarget && !vips[vip].FlowTableBypass)
                FlowKey.Write(ref keys[targeted++], _packets[i]);
        }
        _connections!.PrefetchBuckets(keys.AsSpan(0, targeted));
        return targeted;
    }

    /// <summary>
    /// The backend of a packet under the connection table: the remembered one (address, version and nat
    /// port, so one of two nat backends on one address is never taken for the other) while it is still
    /// configured for the VIP and not down, else <paramref name="chosen"/> (the Maglev choice), remembered from now on.
    /// A TCP SYN always takes the Maglev choice; ICMP errors are looked up but never remembered. A purge under
    /// way moves a connection it covers to the Maglev choice at once. A new entry is made only while the
    /// second's budget lasts (<see cref="ConnectionTable.NewEntries"/>); beyond it the flow is forwarded by Maglev alone, and
    /// a SYN then forgets what an earlier connection of its 5-tuple left.
    /// TCP misses are counted apart: SYNs, and other packets of connections the table did not know.
    /// </summary>
    private readonly int Remembered(VipEntry vip, in ParsedPacket packet, in FlowKey key, int chosen, uint now)
    {
        ConnectionTable table = _connections!;
        bool syn = TcpSyn.StartsConnection(packet);
        if (syn)
            table.CountSynMiss();
        else if (table.TryGet(key, now, out WireAddress address, out IpVersion version, out ushort port))
        {
            int remembered = FlowDecision.Remembered(vip, address, version, port, chosen);
            if (remembered >= 0)
            {
                if (remembered == chosen || !table.PurgeMoves(address, version, port))
                    return remembered;
                table.Forget(key);
            }
        }
        else if (packet.Kind == PacketKind.Flow && packet.Protocol == IpProtocol.Tcp)
            table.CountNonSynMiss();
        if (packet.Kind == PacketKind.Flow)
        {
            if (table.NewEntries.TryTake(now))
            {
                ref readonly BackendEntry backend = ref vip.Backends[chosen];
                table.Set(key, backend.Address, backend.Version, backend.NatPort, now);
            }
            else if (syn)
                table.Remove(key); // a new connection left unremembered must not follow an old one's entry of the same 5-tuple
        }
        return chosen;
    }

    /// <summary>
    /// A quic VIP's flow packet: the backend its connection id names (remembered in the connection table, which it
    /// does not ask), else the usual choice. The Maglev slot is read only then: a packet routed by its id never touches the ring.
    /// <paramref name="flow"/>: this frame's index in <c>_flowKeys</c> (-1 without a connection table or for a VIP that bypasses it).
    /// </summary>
    private readonly int RouteQuic(PacketBatch batch, int i, in ParsedPacket packet, VipEntry entry, QuicServerIds quic,
        LoadBalancerCounters counters, int vip, int[] slots, int slot, int flow, uint now)
    {
        int byId = QuicRouting.Route(batch, i, packet, entry, quic, counters.Quic, vip * QuicCounters.PerVip);
        if (flow < 0)
            return byId >= 0 ? byId : slots[slot];
        ref readonly FlowKey key = ref _flowKeys![flow];
        if (byId < 0)
            return Remembered(entry, packet, key, slots[slot], now);
        ref readonly BackendEntry backend = ref entry.Backends[byId];
        _connections!.Set(key, backend.Address, backend.Version, backend.NatPort, now);
        return byId;
    }

    private static DropReason AnswerEcho(PacketBatch batch, int i, in ParsedPacket packet, ForwardingSnapshot snapshot, LoadBalancerCounters counters)
    {
        if (snapshot.VipAddresses.Find(new VipKey(packet.Destination, packet.Version, 0, 0)) < 0)
            return DropReason.EchoNotForVip;
        DropReason verdict = EchoReply.Answer(batch, i, packet);
        if (verdict == DropReason.None)
            counters.EchoReplies++;
        return verdict;
    }

    private static DropReason RewriteNatReply(PacketBatch batch, int i, in ParsedPacket packet, in NatReplyEntry reply, LoadBalancerCounters counters)
    {
        uint length = batch.Length[i];
        DropReason verdict = NatRewrite.ToClient(batch, i, packet, reply.Vip, reply.VipPort, reply.Macs);
        if (verdict == DropReason.None)
        {
            counters.NatReplies++;
            counters.VipPackets[reply.VipIndex]++;
            counters.VipBytes[reply.VipIndex] += length;
            counters.BackendReplyPackets[reply.BackendCounterIndex]++;
            counters.BackendReplyBytes[reply.BackendCounterIndex] += length;
        }
        return verdict;
    }

    /// <summary>The client's (or replying backend's) port: the first two wire bytes of the ports word, as they load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort SourcePortAsLoaded(uint portsWord) =>
        BitConverter.IsLittleEndian ? (ushort)portsWord : (ushort)(portsWord >> 16);

    /// <summary>The VIP's port: the last two wire bytes of the ports word, as they load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort DestinationPortAsLoaded(uint portsWord) =>
        BitConverter.IsLittleEndian ? (ushort)(portsWord >> 16) : (ushort)portsWord;
}
