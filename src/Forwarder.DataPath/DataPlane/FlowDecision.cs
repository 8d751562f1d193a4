using System.Runtime.CompilerServices;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// The load balancer's decision for one flow, as a pure function of the VIP entry and the flow: the same
/// steps <see cref="LoadBalancer{TPath}"/> takes over a batch — the VIP's hash options applied to the ports
/// word, Katran's flow hash with the VIP's seed, the slot <c>hash % ring size</c> (what
/// <see cref="Maglev.RingIndexer"/> computes without a division), the backend in that slot — and, with a
/// connection table, whether a remembered backend keeps the flow. For questions asked beside the data path
/// (<c>forwarder flow</c>); tests hold it to the stage's actual choices, in every mode. Allocates nothing.
/// </summary>
public static class FlowDecision
{
    /// <summary>
    /// The Maglev choice for a flow from <paramref name="client"/> (of the VIP's IP version) with the ports word
    /// <paramref name="portsWord"/> ([client port, VIP port] as loaded from the wire, <see cref="FlowHash.PortsWord(ushort, ushort)"/>).
    /// </summary>
    public static FlowChoice Decide(VipEntry vip, in WireAddress client, uint portsWord)
    {
        ArgumentNullException.ThrowIfNull(vip);
        uint ports = FlowHash.ApplyOptions(portsWord, vip.HashOptions);
        bool ipv6 = vip.Version == IpVersion.V6;
        uint source = FlowHash.ApplyOptions(ipv6 ? FlowHash.SourceWordV6(client.Bytes) : FlowHash.SourceWordV4(client.Bytes), ipv6, vip.HashOptions);
        uint hash = JenkinsHash.Hash2Words(source, ports, vip.HashSeed); // both families: the IPv6 source is folded to one word
        if (vip.Slots is not { } slots)
            return new FlowChoice(ports, hash, -1, -1);
        int slot = SlotOf(hash, slots.Length);
        return new FlowChoice(ports, hash, slot, slots[slot]);
    }

    /// <summary>
    /// The choice for a QUIC short-header packet of the flow whose destination connection id is
    /// <paramref name="destinationConnectionId"/> (<see cref="QuicHeader.MinConnectionIdLength"/> to
    /// <see cref="MaxConnectionIdLength"/> bytes), to the quic VIP <paramref name="vip"/>: the id read by
    /// <see cref="QuicHeader.Decode"/> (what <see cref="QuicHeader.Read"/> does with a short header) and decided by
    /// <see cref="QuicRouting.Decide"/>, as the workers read and decide; Maglev (<see cref="Decide"/>) takes what is not routed by id.
    /// </summary>
    /// <exception cref="ArgumentException">The VIP is not a quic VIP, or the id's length is outside 8..20 bytes.</exception>
    public static QuicFlowChoice DecideQuic(VipEntry vip, in WireAddress client, uint portsWord, ReadOnlySpan<byte> destinationConnectionId)
    {
        ArgumentNullException.ThrowIfNull(vip);
        if (vip.Quic is not { } ids)
            throw new ArgumentException("not a quic VIP", nameof(vip));
        if (destinationConnectionId.Length is < QuicHeader.MinConnectionIdLength or > MaxConnectionIdLength)
            throw new ArgumentException($"a connection id is {QuicHeader.MinConnectionIdLength} to {MaxConnectionIdLength} bytes", nameof(destinationConnectionId));
        QuicConnectionId cid = QuicHeader.Decode(destinationConnectionId);
        return new QuicFlowChoice(cid, QuicRouting.Decide(cid, vip, ids), Decide(vip, client, portsWord));
    }

    /// <summary>The longest QUIC connection id (RFC 9000, 17.2): 20 bytes.</summary>
    public const int MaxConnectionIdLength = 20;

    /// <summary>The slot of a flow hash in a ring of <paramref name="ringSize"/> slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SlotOf(uint hash, int ringSize) => (int)(hash % (uint)ringSize);

    /// <summary>
    /// The backend id a connection remembered on (<paramref name="backend"/>, <paramref name="version"/>,
    /// <paramref name="port"/>) keeps under <paramref name="vip"/>: its id while it is still configured and not
    /// down, else -1 (the flow takes the Maglev choice again). A TCP SYN never asks: it always takes the Maglev choice.
    /// The stage asks the same for every remembered packet, so the rule is written once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Remembered(VipEntry vip, in WireAddress backend, IpVersion version, ushort port)
    {
        int id = vip.BackendLookup.Find(new VipKey(backend, version, 0, port));
        return id >= 0 && !vip.Backends[id].Down ? id : -1;
    }

    /// <summary>
    /// <see cref="Remembered(VipEntry, in WireAddress, IpVersion, ushort)"/> for a packet whose Maglev choice is
    /// <paramref name="maglevChoice"/>: the same answer, but when the remembered backend is that choice (an
    /// established flow whose backends have not changed: nearly every packet) it is known without a lookup, a
    /// VIP's backends being unique by address, version and port.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Remembered(VipEntry vip, in WireAddress backend, IpVersion version, ushort port, int maglevChoice)
    {
        ref readonly BackendEntry choice = ref vip.Backends[maglevChoice];
        if (choice.Address == backend && choice.Version == version && choice.NatPort == port)
            return choice.Down ? -1 : maglevChoice;
        return Remembered(vip, backend, version, port);
    }
}
