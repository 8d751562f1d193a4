using System.Net;
using System.Net.Sockets;
using Forwarder.Packets;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.Frames;

/// <summary>
/// Builds the frames the benchmarks feed the data path: Ethernet, IPv4 (no options, DF set) or IPv6
/// (no extension headers), then TCP (an ACK, 20 bytes) or UDP, a payload, and every checksum right.
/// Frames shorter than Ethernet's 60-byte minimum are padded with zeros, as they arrive from a link.
/// The bytes come from the tests' <see cref="FrameBuilder"/>, checksums from its reference implementation.
/// </summary>
internal static class FrameFactory
{
    public const int MinimumFrame = 60;

    /// <summary>The clients' MAC (source of received frames).</summary>
    public static readonly byte[] ClientMac = [0x02, 0, 0, 0, 0, 0x20];

    /// <summary>The forwarder's own MAC (destination of received frames).</summary>
    public static readonly byte[] OwnMac = [0x02, 0, 0, 0, 0, 0x0a];

    public static byte[] Build(string source, string destination, ushort sourcePort, ushort destinationPort, bool tcp, int payload, byte tos = 0) =>
        Build(IPAddress.Parse(source), IPAddress.Parse(destination), sourcePort, destinationPort, tcp, payload, tos);

    public static byte[] Build(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, bool tcp, int payload, byte tos = 0)
    {
        if ((source.AddressFamily == AddressFamily.InterNetworkV6) != (destination.AddressFamily == AddressFamily.InterNetworkV6))
            throw new ArgumentException($"{source} and {destination} are not of one family");
        var data = new byte[payload];
        for (int i = 0; i < payload; i++)
            data[i] = (byte)(i * 7 + sourcePort);
        FrameBuilder frame = FrameBuilder.Ip(source, destination)
            .Macs(OwnMac, ClientMac)
            .TrafficClass(tos)
            .Identification((ushort)(sourcePort ^ destinationPort)) // some ID
            .FlowLabel(0)
            .MinimumLength(MinimumFrame);
        return tcp
            ? frame.Tcp(sourcePort, destinationPort, TcpFlags.Ack,
                sequence: 0x1000_0000u + sourcePort, acknowledgment: 0x2000_0000u + destinationPort, window: 64240, data: data).Build()
            : frame.Udp(sourcePort, destinationPort, data).Build();
    }
}
