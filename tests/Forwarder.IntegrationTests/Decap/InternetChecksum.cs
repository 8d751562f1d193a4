using System.Buffers.Binary;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>The RFC 1071 ones' complement sum, over one or more spans (pseudo header, then header and payload).</summary>
public static class InternetChecksum
{
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)data[i] << 8;
        return sum;
    }

    public static ushort Finish(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public static ushort Of(ReadOnlySpan<byte> data) => Finish(Add(0, data));
}
