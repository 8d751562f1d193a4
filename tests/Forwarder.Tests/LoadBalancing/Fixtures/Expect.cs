using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Packets;
using Forwarder.Tests.Packets;
using Forwarder.Tests.Rewrite;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Makes fixtures: builds the frame as it arrives (from the router's MAC to our own), works out the
/// backend with <see cref="FlowOwner"/>, and builds the expected output with test code only — the
/// encapsulations with <see cref="ExpectedEncapsulation"/>, ICMP answers with <see cref="ExpectedIcmpTooBig"/>,
/// nat and echo replies as the packet they must become, built from scratch by <see cref="FrameBuilder"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class Expect
{
    /// <summary>A router on the path to the clients: it sends the VIPs ICMP errors.</summary>
    public const string Router4 = "10.99.0.1";
    public const string Router6 = "2001:db8:ff::1";

    private static byte[] OwnMac => LoadBalancerConfigs.OwnMac;
    private static byte[] RouterMac => LoadBalancerConfigs.RouterMacBytes;

    /// <summary>The frame as it arrives: from the router to our own MAC.</summary>
    public static byte[] Arriving(byte[] frame) => Frames.WithMacs(frame, OwnMac, RouterMac);

    /// <summary>The frame as it leaves towards the router, from our own MAC.</summary>
    public static byte[] ToRouter(byte[] frame) => Frames.WithMacs(frame, RouterMac, OwnMac);

    /// <summary>A client's packet client:clientPort → VIP:vipPort (the VIP's port unless given), forwarded to the flow's backend.</summary>
    public static PacketFixture Forwarded(string name, FixtureConfig config, int vip, FlowShape shape, string client, ushort clientPort, ushort? vipPort = null)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(config, vip);
        ushort port = vipPort ?? vipConfig.Port;
        byte[] input = Arriving(shape.Build(client, vipConfig.Address.ToString(), clientPort, port, padded: true));
        BackendConfig backend = FlowOwner.Of(config, vip, client, clientPort, port).Backend;
        RequireFits(name, config, vipConfig, backend, input);
        byte[] output = vipConfig.Mode == ForwardingMode.Nat
            ? ToRouter(shape.Build(client, backend.Address.ToString(), clientPort, backend.Port ?? port, padded: false))
            : Delivered(config, vipConfig, backend, input, client, clientPort);
        return new PacketFixture(name, config, input, DropReason.None, output, CounterDeltas.Forwarded(vip, backend.Address, input.Length))
        {
            OutputPadded = vipConfig.Mode == ForwardingMode.DsrL2,
        };
    }

    /// <summary>
    /// An error a router sends the VIP about its packet VIP:vipPort → client:clientPort: it goes to the
    /// backend of the client's flow (nat: rewritten to quote backend → client). The fixture carries a
    /// packet of that flow as <see cref="PacketFixture.OwnerFlow"/>.
    /// </summary>
    public static PacketFixture ErrorForwarded(string name, FixtureConfig config, int vip, IcmpErrorShape error, string client, ushort clientPort,
        ushort? vipPort = null)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(config, vip);
        ushort port = vipPort ?? vipConfig.Port;
        string vipAddress = vipConfig.Address.ToString();
        string router = error.Version == IpVersion.V4 ? Router4 : Router6;
        byte[] input = Arriving(error.Build(router, vipAddress, vipAddress, port, client, clientPort, padded: true));
        BackendConfig backend = FlowOwner.Of(config, vip, client, clientPort, port).Backend;
        RequireFits(name, config, vipConfig, backend, input);
        string backendAddress = backend.Address.ToString();
        byte[] output = vipConfig.Mode == ForwardingMode.Nat
            ? ToRouter(error.Build(router, backendAddress, backendAddress, backend.Port ?? port, client, clientPort, padded: false))
            : Delivered(config, vipConfig, backend, input, client, clientPort);
        return new PacketFixture(name, config, input, DropReason.None, output, CounterDeltas.Forwarded(vip, backend.Address, input.Length))
        {
            OutputPadded = vipConfig.Mode == ForwardingMode.DsrL2,
            OwnerFlow = Arriving(error.Quoted.Build(client, vipAddress, clientPort, port, padded: false)),
        };
    }

    /// <summary>
    /// A nat backend's packet to a client leaves as the VIP's (its port too, unless the VIP has port 0). The backend
    /// sends from its own port, or the VIP's; under a port-0 VIP, from <paramref name="anyPort"/>.
    /// </summary>
    public static PacketFixture NatReply(string name, FixtureConfig config, int vip, string backend, FlowShape shape, string client, ushort clientPort,
        ushort anyPort = 0)
    {
        var (vipConfig, backendConfig, backendPort) = NatBackend(config, vip, backend, anyPort);
        byte[] input = Arriving(shape.Build(backend, client, backendPort, clientPort, padded: true));
        byte[] output = ToRouter(shape.Build(vipConfig.Address.ToString(), client, vipConfig.Port == 0 ? backendPort : vipConfig.Port, clientPort, padded: false));
        return new PacketFixture(name, config, input, DropReason.None, output,
            CounterDeltas.Replied(vip, backendConfig.Address, input.Length));
    }

    /// <summary>A nat backend's error about the client's packet client → backend reaches the client as the VIP's, quoting client → VIP.</summary>
    public static PacketFixture NatReplyError(string name, FixtureConfig config, int vip, string backend, IcmpErrorShape error, string client, ushort clientPort,
        ushort anyPort = 0)
    {
        var (vipConfig, backendConfig, backendPort) = NatBackend(config, vip, backend, anyPort);
        string vipAddress = vipConfig.Address.ToString();
        byte[] input = Arriving(error.Build(backend, client, client, clientPort, backend, backendPort, padded: true));
        byte[] output = ToRouter(error.Build(vipAddress, client, client, clientPort, vipAddress, vipConfig.Port == 0 ? backendPort : vipConfig.Port, padded: false));
        return new PacketFixture(name, config, input, DropReason.None, output,
            CounterDeltas.Replied(vip, backendConfig.Address, input.Length));
    }

    /// <summary>
    /// An echo request to <paramref name="vip"/> (TTL 57) answered in place: MACs and addresses swapped, TTL 64,
    /// type echo reply, identifier, sequence and data echoed, padding cut off.
    /// </summary>
    public static PacketFixture EchoAnswered(string name, FixtureConfig config, string client, string vip, Func<FrameBuilder, FrameBuilder>? shape = null,
        int padding = 0, int data = 32)
    {
        byte[] input = EchoRequest(client, vip, shape, padding, data);
        byte[] output = ToRouter(Echo(vip, client, shape, reply: true, data).HopLimit(64).Build());
        return new PacketFixture(name, config, input, DropReason.None, output, new CounterDeltas { EchoReplies = 1 });
    }

    /// <summary>An echo request from <paramref name="client"/> to <paramref name="destination"/>, TTL 57, with <paramref name="data"/> bytes of data, as it arrives.</summary>
    public static byte[] EchoRequest(string client, string destination, Func<FrameBuilder, FrameBuilder>? shape = null, int padding = 0, int data = 32) =>
        Arriving(Echo(client, destination, shape, reply: false, data).HopLimit(57).Padding(padding).Build());

    /// <summary>A packet too big to encapsulate for the flow's backend, answered with ICMP to the client, from the VIP.</summary>
    public static PacketFixture TooBigAnswered(string name, FixtureConfig config, int vip, FlowShape shape, string client, ushort clientPort, ushort? vipPort = null)
    {
        var (input, mtu) = TooBig(config, vip, shape, client, clientPort, vipPort);
        return new PacketFixture(name, config, input, DropReason.None, ExpectedIcmpTooBig.Answer(input, mtu), new CounterDeltas { TooBigAnswered = 1 });
    }

    /// <summary>A packet too big to encapsulate for the flow's backend that may not be answered: dropped as <see cref="DropReason.PacketTooBig"/>.</summary>
    public static PacketFixture TooBigDropped(string name, FixtureConfig config, int vip, FlowShape shape, string client, ushort clientPort) =>
        Dropped(name, config, TooBig(config, vip, shape, client, clientPort, null).Input, DropReason.PacketTooBig);

    public static PacketFixture Dropped(string name, FixtureConfig config, byte[] input, DropReason reason) =>
        new(name, config, input, reason, null, CounterDeltas.None);

    /// <summary>Bytes ipip and gue put in front of a packet for this backend: 20/40 and 28/48 (IPv4/IPv6 backend).</summary>
    public static int Overhead(ForwardingMode mode, IPAddress backend)
    {
        bool v4 = backend.AddressFamily == AddressFamily.InterNetwork;
        return mode switch
        {
            ForwardingMode.Ipip => v4 ? 20 : 40,
            ForwardingMode.Gue => v4 ? 28 : 48,
            _ => 0,
        };
    }

    /// <summary>
    /// ipip, gue, dsr-l2: the received IP packet, unchanged, on its way to the backend. The outer source of ipip and gue
    /// comes from the client's address and port, port 0 under <c>no_source_port</c> (as Katran since mid-2023), address 0
    /// under <c>dport_only</c> (Katran's hash step zeroes the address before it encapsulates).
    /// </summary>
    private static byte[] Delivered(FixtureConfig config, VipConfig vip, BackendConfig backend, byte[] input, string client, ushort clientPort)
    {
        string address = backend.Address.ToString();
        ForwarderConfig forwarder = FixtureConfigs.Load(config);
        ushort outerPort = (vip.Flags & VipFlags.NoSourcePort) != 0 ? (ushort)0 : clientPort;
        string outerClient = (vip.Flags & VipFlags.DestinationPortOnly) == 0 ? client
            : IPAddress.Parse(client).AddressFamily == AddressFamily.InterNetwork ? "0.0.0.0" : "::";
        return vip.Mode switch
        {
            ForwardingMode.Ipip => ToRouter(ExpectedEncapsulation.Ipip(input, outerClient, outerPort, address)),
            ForwardingMode.Gue => ToRouter(ExpectedEncapsulation.Gue(input, outerClient, outerPort, GueSource(forwarder, backend.Address), address, forwarder.Gue.Port)),
            ForwardingMode.DsrL2 => Frames.WithMacs(input, backend.Mac!.GetAddressBytes(), OwnMac),
            _ => throw new ArgumentException($"{vip.Mode} rewrites the packet itself"),
        };
    }

    private static string GueSource(ForwarderConfig config, IPAddress backend) =>
        (backend.AddressFamily == AddressFamily.InterNetwork ? config.Gue.SourceV4 : config.Gue.SourceV6)!.ToString();

    private static (byte[] Input, int Mtu) TooBig(FixtureConfig config, int vip, FlowShape shape, string client, ushort clientPort, ushort? vipPort)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(config, vip);
        ushort port = vipPort ?? vipConfig.Port;
        byte[] input = Arriving(shape.Build(client, vipConfig.Address.ToString(), clientPort, port, padded: true));
        BackendConfig backend = FlowOwner.Of(config, vip, client, clientPort, port).Backend;
        int mtu = FixtureConfigs.Load(config).InterfaceMtu - Overhead(vipConfig.Mode, backend.Address);
        if (new FrameView(input).IpLength <= mtu)
            throw new InvalidOperationException($"a {new FrameView(input).IpLength}-byte packet fits the {mtu} bytes left for {backend.Address}");
        return (input, mtu);
    }

    private static void RequireFits(string name, FixtureConfig config, VipConfig vip, BackendConfig backend, byte[] input)
    {
        int room = FixtureConfigs.Load(config).InterfaceMtu - Overhead(vip.Mode, backend.Address);
        if (new FrameView(input).IpLength > room)
            throw new InvalidOperationException($"fixture \"{name}\": the packet does not fit the {room} bytes left for {backend.Address}");
    }

    private static (VipConfig Vip, BackendConfig Backend, ushort Port) NatBackend(FixtureConfig config, int vip, string backend, ushort anyPort)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(config, vip);
        BackendConfig backendConfig = vipConfig.Backends.Single(b => b.Address.Equals(IPAddress.Parse(backend)));
        ushort port = backendConfig.Port ?? vipConfig.Port;
        if ((port == 0) != (anyPort != 0))
            throw new ArgumentException("a port to send from is given exactly when the VIP has port 0", nameof(anyPort));
        return (vipConfig, backendConfig, port == 0 ? anyPort : port);
    }

    private static FrameBuilder Echo(string source, string destination, Func<FrameBuilder, FrameBuilder>? shape, bool reply, int dataLength)
    {
        const uint IdentifierAndSequence = 0x04D2_0007;
        var data = new byte[dataLength];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(0x61 + i % 23);
        bool v4 = IPAddress.Parse(destination).AddressFamily == AddressFamily.InterNetwork;
        FrameBuilder builder = v4 ? FrameBuilder.Ipv4(source, destination) : FrameBuilder.Ipv6(source, destination);
        builder = shape is null ? builder : shape(builder);
        return v4
            ? builder.Icmp(reply ? (byte)0 : (byte)8, 0, data, IdentifierAndSequence)
            : builder.Icmpv6(reply ? (byte)129 : (byte)128, 0, data, IdentifierAndSequence);
    }
}
