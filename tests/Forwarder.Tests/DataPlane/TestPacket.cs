using System.Buffers.Binary;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// The 64-byte Ethernet/IPv4/UDP frame the simulated NIC receives: 192.168.1.1:31337 → 10.0.0.100:80,
/// with a sequence number at the start of the UDP payload so the wire side can check order and identity.
/// </summary>
public static class TestPacket
{
    public const int Length = 64;
    public const int SequenceOffset = 42;

    public static readonly byte[] ClientMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    public static readonly byte[] OwnMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
    public static readonly byte[] NextHopMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0xfe];

    /// <summary>The frame as received, sequence 0.</summary>
    public static byte[] Template { get; } = Build();

    public static void WriteSequence(Span<byte> frame, uint sequence) =>
        BinaryPrimitives.WriteUInt32BigEndian(frame[SequenceOffset..], sequence);

    public static uint ReadSequence(ReadOnlySpan<byte> frame) =>
        BinaryPrimitives.ReadUInt32BigEndian(frame[SequenceOffset..]);

    // No UDP checksum (zero, allowed over IPv4), so rewriting the sequence keeps the frame valid.
    private static byte[] Build() =>
        FrameBuilder.Ipv4("192.168.1.1", "10.0.0.100")
            .Macs(OwnMac, ClientMac)
            .Identification(0)
            .Ipv4Fragment(0)
            .Udp(31337, 80, new byte[Length - SequenceOffset])
            .WithoutTransportChecksum()
            .Build();
}
