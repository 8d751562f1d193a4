using System.Net;
using System.Net.NetworkInformation;
using TrafficGen.Frames;
using TrafficGen.Generation;

namespace TrafficGen.Tests;

/// <summary>
/// The socket method's per-frame rewrite must offer exactly the frames the live-frames program does: each
/// flow's frame equal, byte for byte, to the template built from scratch for that flow's source port and
/// address (so both checksums are checked against a full recomputation, not the same arithmetic).
/// </summary>
public class FlowWriterTests
{
    public static TheoryData<string, string, L4Protocol, int, bool> Shapes => new()
    {
        { "198.18.0.1", "10.100.0.1", L4Protocol.Udp, 64, true },
        { "198.18.0.1", "10.100.0.1", L4Protocol.Udp, 64, false },
        { "198.18.255.250", "10.100.0.1", L4Protocol.TcpSyn, 64, true },
        { "fd00:18::1", "fc00::1", L4Protocol.Udp, 96, true },
        { "fd00:18::ffff:fffe", "fc00::1", L4Protocol.TcpSyn, 80, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_flow_is_the_template_built_for_its_own_source(string source, string destination, L4Protocol protocol, int size, bool udpChecksum)
    {
        FrameSpec spec = Spec(IPAddress.Parse(source), IPAddress.Parse(destination), 65530, protocol, size, udpChecksum);
        byte[] template = FrameBuilder.Build(spec);
        var plan = new FlowPlan(Ports: 6, Sources: 3);
        var writer = new FlowWriter(spec, GeneratorConfig.For(spec, template, plan));
        byte[] frame = (byte[])template.Clone();

        for (int k = 0; k < 2 * (int)plan.Flows; k++) // twice round: the walk wraps to the first flow
        {
            writer.WriteNext(frame);
            int flow = k % (int)plan.Flows;
            FrameSpec expected = spec with
            {
                SourcePort = (ushort)(spec.SourcePort + flow % plan.Ports),
                Source = Add(spec.Source, (uint)(flow / plan.Ports)),
            };
            Assert.Equal(FrameBuilder.Build(expected), frame);
        }
    }

    private static FrameSpec Spec(IPAddress source, IPAddress destination, ushort port, L4Protocol protocol, int size, bool udpChecksum) => new(
        PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"),
        source, destination, port, 80, protocol, size, udpChecksum && protocol == L4Protocol.Udp || protocol != L4Protocol.Udp);

    /// <summary>The address whose low 32 bits are <paramref name="address"/>'s plus <paramref name="n"/>.</summary>
    private static IPAddress Add(IPAddress address, uint n)
    {
        byte[] bytes = address.GetAddressBytes();
        int low = bytes.Length - 4;
        uint value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(low)) + n;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(low), value);
        return new IPAddress(bytes);
    }
}
