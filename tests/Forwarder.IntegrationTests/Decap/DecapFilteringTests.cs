using System.Net;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>What decap leaves alone: ordinary traffic, and encapsulation to destinations it was not told to accept.</summary>
public sealed class DecapFilteringTests
{
    private const int VipPort = 5000;
    private const int Datagrams = 5;
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AbsenceWait = TimeSpan.FromSeconds(1);

    [RootFact]
    public void Ordinary_traffic_still_reaches_the_backend()
    {
        using DecapTopology topology = Create();
        DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice);

        Assert.True(IcmpEcho.Ping(topology.Lb, BackendAddress), "no echo reply with decap attached");
        using UdpSender sender = UdpSender.Create(topology.Lb);
        foreach (int port in new[] { 6000, 6080 }) // 6080: a datagram to the GUE port that is not an IP packet stays a datagram
        {
            var endpoint = new IPEndPoint(BackendAddress, port);
            using UdpReceiver receiver = UdpReceiver.Start(topology.Backend, endpoint);
            uint runId = DatagramPayload.NewRunId();
            sender.Send(endpoint, runId, Datagrams);
            Assert.True(receiver.WaitFor(runId, Datagrams, ArrivalTimeout),
                $"{receiver.CountOf(runId)} of {Datagrams} plain datagrams reached {endpoint}.\n{DecapCli.Status(topology.Backend, BackendDevice)}");
        }

        DecapStatusReport status = DecapCli.Status(topology.Backend, BackendDevice);
        Assert.Equal(0, status.Counter("decapsulated_ipip"));
        Assert.Equal(0, status.Counter("decapsulated_gue"));
        Assert.True(status.Counter("passed") >= Datagrams, status.ToString());
    }

    [RootFact]
    public void Encapsulation_to_an_address_not_accepted_passes_untouched_until_attach_accepts_it()
    {
        using DecapTopology topology = Create();
        DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice, "--address", "10.77.0.99");
        long firstProgram = DecapCli.Status(topology.Backend, BackendDevice).Counter("program");

        uint refused = DatagramPayload.NewRunId();
        using (DatagramListener listener = DatagramListener.Start(topology.Backend, new IPEndPoint(Vip, VipPort), refused))
        {
            SendIpip(topology, BackendAddress, refused);
            Assert.Equal(0, listener.Collect(Datagrams, AbsenceWait));
        }
        DecapStatusReport before = DecapCli.Status(topology.Backend, BackendDevice);
        Assert.Equal(Datagrams, before.Counter("not_accepted"));
        Assert.Equal(0, before.Counter("decapsulated_ipip"));
        Assert.Equal("10.77.0.99", before.Value("destinations"));

        // Attaching again replaces the program in one step, with the interface's own addresses.
        DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice);
        DecapStatusReport replaced = DecapCli.Status(topology.Backend, BackendDevice);
        Assert.NotEqual(firstProgram, replaced.Counter("program"));
        Assert.Equal(0, replaced.Counter("not_accepted"));
        Assert.Contains(BackendAddress.ToString(), replaced.Value("destinations").Split(','));
        Assert.Contains(BackendAddress6.ToString(), replaced.Value("destinations").Split(','));
        AssertDelivered(topology, BackendAddress);

        // Any destination: even one this backend does not have.
        DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice, "--any-destination");
        Assert.Equal("any", DecapCli.Status(topology.Backend, BackendDevice).Value("destinations"));
        AssertDelivered(topology, IPAddress.Parse("10.77.0.50"));
    }

    private static void AssertDelivered(DecapTopology topology, IPAddress outerDestination)
    {
        uint runId = DatagramPayload.NewRunId();
        using DatagramListener listener = DatagramListener.Start(topology.Backend, new IPEndPoint(Vip, VipPort), runId);
        SendIpip(topology, outerDestination, runId);
        int received = listener.Collect(Datagrams, ArrivalTimeout);
        Assert.True(received == Datagrams,
            $"{received} of {Datagrams} datagrams encapsulated to {outerDestination} arrived.\n{DecapCli.Status(topology.Backend, BackendDevice)}");
    }

    private static void SendIpip(DecapTopology topology, IPAddress outerDestination, uint runId)
    {
        using PacketSocket socket = PacketSocket.Open(topology.Lb, LbDevice);
        var payload = new byte[32];
        for (int sequence = 0; sequence < Datagrams; sequence++)
        {
            DatagramPayload.Write(payload, runId, sequence);
            byte[] inner = FrameBuilder.Ip(Client, Vip).Udp((ushort)(42000 + sequence), VipPort, payload).BuildIpPacket();
            socket.Send(FrameBuilder.Ethernet(topology.BackendMac, topology.LbMac, FrameBuilder.Ip(OuterSource, outerDestination).Ipip(inner).BuildIpPacket()));
        }
    }
}
