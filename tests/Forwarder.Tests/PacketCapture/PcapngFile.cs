using System.Buffers.Binary;
using System.Text;

namespace Forwarder.Tests.PacketCapture;

/// <summary>
/// A pcapng reader written from the format's specification for the tests, sharing nothing with the forwarder's writer:
/// it checks every block's framing (both lengths, 4-byte alignment, the byte-order magic) and returns what it read.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PcapngFile
{
    public sealed record Interface(ushort LinkType, uint SnapLength, string? Name);

    public sealed record Packet(uint InterfaceId, ulong Microseconds, uint OriginalLength, byte[] Data, uint? Flags, string? Comment);

    public sealed record Statistics(uint InterfaceId, ulong? Received, ulong? Dropped, string? Comment);

    public List<Interface> Interfaces { get; } = [];
    public List<Packet> Packets { get; } = [];
    public List<Statistics> Stats { get; } = [];
    public string? Application { get; private set; }

    public static PcapngFile Read(byte[] bytes)
    {
        var file = new PcapngFile();
        int at = 0;
        bool first = true;
        while (at < bytes.Length)
        {
            Assert.True(bytes.Length - at >= 12, $"a block at {at} is cut short");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            Assert.True(length >= 12 && length % 4 == 0 && at + length <= bytes.Length, $"block at {at}: bad length {length}");
            Assert.Equal(length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + (int)length - 4)));
            ReadOnlySpan<byte> body = bytes.AsSpan(at + 8, (int)length - 12);
            if (first)
                Assert.Equal(0x0A0D0D0Au, type);
            first = false;
            switch (type)
            {
                case 0x0A0D0D0A:
                    Assert.Equal(0x1A2B3C4Du, BinaryPrimitives.ReadUInt32LittleEndian(body));
                    Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(body[4..]));
                    foreach ((ushort code, byte[] value) in Options(body[16..]))
                        if (code == 4) file.Application = Encoding.UTF8.GetString(value);
                    break;
                case 1:
                {
                    string? name = null;
                    foreach ((ushort code, byte[] value) in Options(body[8..]))
                        if (code == 2) name = Encoding.UTF8.GetString(value);
                    file.Interfaces.Add(new Interface(BinaryPrimitives.ReadUInt16LittleEndian(body), BinaryPrimitives.ReadUInt32LittleEndian(body[4..]), name));
                    break;
                }
                case 6:
                {
                    uint id = BinaryPrimitives.ReadUInt32LittleEndian(body);
                    ulong micros = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]) << 32 | BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
                    int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
                    uint original = BinaryPrimitives.ReadUInt32LittleEndian(body[16..]);
                    Assert.True(id < file.Interfaces.Count, $"packet on undeclared interface {id}");
                    Assert.True(captured <= original && captured <= file.Interfaces[(int)id].SnapLength, "captured length beyond the original or the snap length");
                    byte[] data = body.Slice(20, captured).ToArray();
                    uint? flags = null;
                    string? comment = null;
                    foreach ((ushort code, byte[] value) in Options(body[(20 + (captured + 3) / 4 * 4)..]))
                    {
                        if (code == 2) flags = BinaryPrimitives.ReadUInt32LittleEndian(value);
                        if (code == 1) comment = Encoding.UTF8.GetString(value);
                    }
                    file.Packets.Add(new Packet(id, micros, original, data, flags, comment));
                    break;
                }
                case 5:
                {
                    ulong? received = null, dropped = null;
                    string? comment = null;
                    foreach ((ushort code, byte[] value) in Options(body[12..]))
                    {
                        if (code == 4) received = BinaryPrimitives.ReadUInt64LittleEndian(value);
                        if (code == 5) dropped = BinaryPrimitives.ReadUInt64LittleEndian(value);
                        if (code == 1) comment = Encoding.UTF8.GetString(value);
                    }
                    file.Stats.Add(new Statistics(BinaryPrimitives.ReadUInt32LittleEndian(body), received, dropped, comment));
                    break;
                }
                default:
                    Assert.Fail($"unexpected block type {type:x}");
                    break;
            }
            at += (int)length;
        }
        return file;
    }

    /// <summary>Options up to opt_endofopt, which must be there and end the block's body exactly.</summary>
    private static List<(ushort Code, byte[] Value)> Options(ReadOnlySpan<byte> options)
    {
        var found = new List<(ushort, byte[])>();
        int at = 0;
        while (true)
        {
            Assert.True(options.Length - at >= 4, "options not ended by opt_endofopt");
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(options[at..]);
            ushort size = BinaryPrimitives.ReadUInt16LittleEndian(options[(at + 2)..]);
            if (code == 0)
            {
                Assert.Equal(0, size);
                Assert.Equal(options.Length, at + 4);
                return found;
            }
            int padded = (size + 3) / 4 * 4;
            Assert.True(at + 4 + padded <= options.Length, "an option runs past its block");
            Assert.True(options.Slice(at + 4 + size, padded - size).IndexOfAnyExcept((byte)0) < 0, "option padding is not zero");
            found.Add((code, options.Slice(at + 4, size).ToArray()));
            at += 4 + padded;
        }
    }
}
