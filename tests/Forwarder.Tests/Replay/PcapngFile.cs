using System.Buffers.Binary;

namespace Forwarder.Tests.Replay;

/// <summary>Builds a pcapng file block by block; each section header sets the byte order of the blocks after it.</summary>
internal sealed class PcapngFile
{
    private readonly List<byte> _bytes = [];
    private bool _bigEndian;

    /// <summary>Where the next block will start.</summary>
    public int Offset => _bytes.Count;

    public PcapngFile Section(bool bigEndian = false, ushort major = 1)
    {
        _bigEndian = bigEndian;
        var body = new byte[16];
        U32(body, 0, 0x1A2B3C4D);
        U16(body, 4, major);
        U16(body, 6, 0);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1); // section length unknown
        return Block(0x0A0D0D0A, body);
    }

    /// <summary>An interface description; <paramref name="resolution"/> is the if_tsresol byte, <paramref name="offsetSeconds"/> if_tsoffset.</summary>
    public PcapngFile Interface(ushort linkType = 1, uint snapLength = 0, byte? resolution = null, long? offsetSeconds = null)
    {
        var fields = new byte[8];
        U16(fields, 0, linkType);
        U32(fields, 4, snapLength);
        List<byte> body = [.. fields];
        if (resolution is { } r)
            body.AddRange(Option(9, [r]));
        if (offsetSeconds is { } o)
        {
            var value = new byte[8];
            if (_bigEndian)
                BinaryPrimitives.WriteInt64BigEndian(value, o);
            else
                BinaryPrimitives.WriteInt64LittleEndian(value, o);
            body.AddRange(Option(14, value));
        }
        if (resolution is not null || offsetSeconds is not null)
            body.AddRange(Option(0, []));
        return Block(1, [.. body]);
    }

    public PcapngFile Enhanced(uint interfaceId, ulong ticks, byte[] data, uint? originalLength = null)
    {
        var body = new byte[20 + Padded(data.Length)];
        U32(body, 0, interfaceId);
        U32(body, 4, (uint)(ticks >> 32));
        U32(body, 8, (uint)ticks);
        U32(body, 12, (uint)data.Length);
        U32(body, 16, originalLength ?? (uint)data.Length);
        data.CopyTo(body, 20);
        return Block(6, body);
    }

    public PcapngFile Simple(byte[] data, uint? originalLength = null)
    {
        var body = new byte[4 + Padded(data.Length)];
        U32(body, 0, originalLength ?? (uint)data.Length);
        data.CopyTo(body, 4);
        return Block(3, body);
    }

    /// <summary>Any block; <paramref name="closingLength"/> overrides the trailing copy of the length.</summary>
    public PcapngFile Block(uint type, byte[] body, uint? closingLength = null)
    {
        var block = new byte[12 + Padded(body.Length)];
        U32(block, 0, type);
        U32(block, 4, (uint)block.Length);
        body.CopyTo(block, 8);
        U32(block, block.Length - 4, closingLength ?? (uint)block.Length);
        _bytes.AddRange(block);
        return this;
    }

    public byte[] Build() => [.. _bytes];

    private byte[] Option(ushort code, byte[] value)
    {
        var option = new byte[4 + Padded(value.Length)];
        U16(option, 0, code);
        U16(option, 2, (ushort)value.Length);
        value.CopyTo(option, 4);
        return option;
    }

    private static int Padded(int length) => (length + 3) / 4 * 4;

    private void U16(byte[] bytes, int at, ushort value)
    {
        if (_bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), value);
    }

    private void U32(byte[] bytes, int at, uint value)
    {
        if (_bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
    }
}
