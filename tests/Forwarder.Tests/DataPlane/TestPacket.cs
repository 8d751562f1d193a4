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

    private static byte[] Build()
    {
        var frame = new byte[Length];
        OwnMac.CopyTo(frame, 0);
        ClientMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);

        Span<byte> ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], Length - 14);
        ip[8] = 64;
        ip[9] = 17;
        byte[] source = [192, 168, 1, 1], destination = [10, 0, 0, 100];
        source.CopyTo(ip[12..]);
        destination.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], HeaderChecksum(ip));

        Span<byte> udp = frame.AsSpan(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 31337);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 80);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], Length - 34);
        return frame;
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
