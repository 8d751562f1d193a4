using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>The rewrites allocate nothing: 100,000 frames through all of them leave the thread's allocation count unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class RewriteAllocationTests : IDisposable
{
    private const int Headroom = 256;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Rewriting_a_hundred_thousand_frames_allocates_nothing()
    {
        byte[][] frames =
        [
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(5).Tcp(31337, 80, payload: 100).Build(),
            FrameBuilder.Ipv6(Client6, Vip6).Udp(31337, 53, payload: 300).Build(),
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, IcmpFixtures.QuotedV4(IpProtocol.Udp, 1000), rest: 1400).Build(),
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, IcmpFixtures.QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Tcp(443, 50000)), rest: 1280).Build(),
            FrameBuilder.Ipv4(Client4, Vip4).Icmp(8, 0, new byte[56]).Build(),
            FrameBuilder.Ipv6(Client6, Vip6).Icmpv6(128, 0, new byte[56]).Build(),
        ];
        var packets = new ParsedPacket[frames.Length];
        for (int f = 0; f < frames.Length; f++)
            packets[f] = _chunk.LoadParsed(frames[f], Headroom);
        Run(frames, packets, 1000); // JIT and tiering

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(frames, packets, 100_000);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
    }

    private static readonly WireAddress Backend4 = Address("10.0.0.2"), Backend6 = Address("fc00::2");
    private static readonly WireAddress Source4 = Address("10.0.0.1"), Source6 = Address("fc00::1");
    private static readonly EthernetAddresses Macs = TestMacs.ToNextHop;

    private void Run(byte[][] frames, ParsedPacket[] packets, int count)
    {
        EthernetAddresses macs = Macs;
        PacketBatch batch = _chunk.Batch;
        for (int n = 0; n < count; n++)
        {
            int f = n % frames.Length;
            ref ParsedPacket packet = ref packets[f];
            bool v4 = packet.Version == IpVersion.V4;
            WireAddress backend = v4 ? Backend4 : Backend6;
            _chunk.Reload(frames[f], Headroom);
            if (packet.Kind == PacketKind.EchoRequest)
            {
                EchoReply.Answer(batch, 0, packet);
                continue;
            }
            switch (n / frames.Length % 6)
            {
                case 0: IpipEncapsulation.Apply(batch, 0, packet, packet.SourcePort, backend, packet.Version, macs); break;
                case 1: GueEncapsulation.Apply(batch, 0, packet, (ushort)n, backend, packet.Version, v4 ? Source4 : Source6, 6080, macs); break;
                case 2: DsrL2Rewrite.Apply(batch, 0, macs); break;
                case 3: NatRewrite.ToBackend(batch, 0, packet, backend, 8080, macs); break;
                case 4: NatRewrite.ToClient(batch, 0, packet, backend, 80, macs); break;
                default: IcmpTooBig.Answer(batch, 0, packet, 1280); break;
            }
        }
    }

    public void Dispose() => _chunk.Dispose();
}
