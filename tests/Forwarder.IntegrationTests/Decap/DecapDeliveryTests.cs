using System.Net;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// Every encapsulation the load balancer sends is stripped on the backend and the inner datagram
/// reaches a listener on the VIP, its checksums accepted by the stack.
/// </summary>
public sealed class DecapDeliveryTests
{
    private const int VipPort = 5000;
    private const int Datagrams = 5;
    private const int GuePort = 6080;
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void Ipv4_in_ipv4_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(inner).BuildIpPacket(), "decapsulated_ipip");

    [RootFact]
    public void Ipv6_in_ipv6_reaches_the_vip() =>
        AssertDelivered(Client6, Vip6, inner => FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(inner).BuildIpPacket(), "decapsulated_ipip");

    [RootFact]
    public void Ipv4_in_ipv6_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(inner).BuildIpPacket(), "decapsulated_ipip");

    [RootFact]
    public void Ipv6_in_ipv4_reaches_the_vip() =>
        AssertDelivered(Client6, Vip6, inner => FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(inner).BuildIpPacket(), "decapsulated_ipip");

    [RootFact]
    public void Gue_ipv4_in_ipv4_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => Gue(OuterSource, BackendAddress, GuePort, inner), "decapsulated_gue");

    [RootFact]
    public void Gue_ipv6_in_ipv6_reaches_the_vip() =>
        AssertDelivered(Client6, Vip6, inner => Gue(OuterSource6, BackendAddress6, GuePort, inner), "decapsulated_gue");

    [RootFact]
    public void Gue_ipv4_in_ipv6_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => Gue(OuterSource6, BackendAddress6, GuePort, inner), "decapsulated_gue");

    [RootFact]
    public void Gue_ipv6_in_ipv4_reaches_the_vip() =>
        AssertDelivered(Client6, Vip6, inner => Gue(OuterSource, BackendAddress, GuePort, inner), "decapsulated_gue");

    [RootFact]
    public void Gue_on_a_configured_port_in_skb_mode_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => Gue(OuterSource, BackendAddress, 7777, inner), "decapsulated_gue",
            "--gue-port", "7777", "--xdp-mode", "skb");

    [RootFact]
    public void Ipip_to_an_address_given_on_the_command_line_reaches_the_vip() =>
        AssertDelivered(Client, Vip, inner => FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(inner).BuildIpPacket(), "decapsulated_ipip",
            "--address", BackendAddress6.ToString());

    /// <summary>GUE as the load balancer sends it: the outer UDP source port carries flow entropy.</summary>
    private static byte[] Gue(IPAddress outerSource, IPAddress outerDestination, int port, byte[] inner) =>
        FrameBuilder.Ip(outerSource, outerDestination).Gue((ushort)(40000 + inner[^1]), (ushort)port, inner).BuildIpPacket();

    private static void AssertDelivered(IPAddress client, IPAddress vip, Func<byte[], byte[]> encapsulate, string counter, params string[] attachOptions)
    {
        using DecapTopology topology = Create();
        DecapCli.Check(topology.Backend, ["attach", "--iface", BackendDevice, .. attachOptions]);
        uint runId = DatagramPayload.NewRunId();
        using DatagramListener listener = DatagramListener.Start(topology.Backend, new IPEndPoint(vip, VipPort), runId);

        using (PacketSocket socket = PacketSocket.Open(topology.Lb, LbDevice))
        {
            var payload = new byte[32];
            for (int sequence = 0; sequence < Datagrams; sequence++)
            {
                DatagramPayload.Write(payload, runId, sequence);
                byte[] inner = FrameBuilder.Ip(client, vip).Udp((ushort)(41000 + sequence), VipPort, payload).BuildIpPacket();
                socket.Send(FrameBuilder.Ethernet(topology.BackendMac, topology.LbMac, encapsulate(inner)));
            }
        }

        int received = listener.Collect(Datagrams, ArrivalTimeout);
        DecapStatusReport status = DecapCli.Status(topology.Backend, BackendDevice);
        Assert.True(received == Datagrams, $"{received} of {Datagrams} datagrams reached [{vip}]:{VipPort}.\n{status}");
        Assert.Equal(Datagrams, status.Counter(counter));
        Assert.Equal(0, status.Counter("malformed"));
        Assert.Equal(0, status.Counter("not_accepted"));
    }
}
