using System.Buffers.Binary;

namespace Forwarder.Replay;

/// <summary>
/// Reads the frames of a pcapng file: Section Header blocks (which set the byte order), Interface
/// Description blocks (link type, timestamp resolution and offset) and the packet blocks — Enhanced,
/// Simple and the obsolete Packet block. Other blocks are skipped. Every interface must be Ethernet.
/// </summary>
public sealed class PcapngReader : ICaptureReader
{
    /// <summary>The largest block believed: anything larger means a corrupt file.</summary>
    public const int MaxBlockLength = 16 << 20;

    private const int BlockHeaderLength = 8, BlockTrailerLength = 4;
    private const ushort TimestampResolution = 9, TimestampOffset = 14;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly List<CaptureInterface> _interfaces = [];
    private byte[] _block = new byte[65536];
    private bool _bigEndian;
    private long _offset;      // of the block last read
    private long _nextOffset;
    private long _record;

    /// <summary>Reads the first block, which must be a Section Header; <paramref name="name"/> is used in messages.</summary>
    public PcapngReader(Stream stream, string name, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Name = name;
        if (!ReadBlock(out _, out _))
            throw new PcapException($"{name}: not a capture file: 0 byte(s), too short for a pcapng header");
    }

    public string Name { get; }

    public bool TryRead(out CapturedFrame frame)
    {
        while (ReadBlock(out uint type, out int length))
        {
            long record = _record + 1;
            switch (type)
            {
                case PcapngBlocks.EnhancedPacket:
                    frame = PacketRecord(record, length, ReadUInt32(_block.AsSpan(BlockHeaderLength)), BlockHeaderLength + 4);
                    break;
                case PcapngBlocks.ObsoletePacket:
                    frame = PacketRecord(record, length, ReadUInt16(_block.AsSpan(BlockHeaderLength)), BlockHeaderLength + 4);
                    break;
                case PcapngBlocks.SimplePacket:
                    frame = SimplePacketRecord(record, length);
                    break;
                default:
                    continue;
            }
            _record = record;
            return true;
        }
        frame = default;
        return false;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
            _stream.Dispose();
    }

    /// <summary>Reads the next whole block into the buffer and applies Section Header and Interface Description blocks; false at the end of the file.</summary>
    private bool ReadBlock(out uint type, out int length)
    {
        _offset = _nextOffset;
        length = 0;
        int got = _stream.ReadAtLeast(_block.AsSpan(0, BlockHeaderLength), BlockHeaderLength, throwOnEndOfStream: false);
        type = 0;
        if (got == 0)
            return false;
        if (got < BlockHeaderLength)
            throw Corrupt($"the file ends inside the block header ({got} of {BlockHeaderLength} bytes)");
        type = ReadUInt32(_block);
        if (_offset == 0 && type != PcapngBlocks.SectionHeader)
            throw new PcapException($"{Name}: not a pcapng file: it starts with {CaptureFile.Hex(_block.AsSpan(0, 4))}, not a section header block");
        if (type == PcapngBlocks.SectionHeader)
            ReadByteOrder();

        uint declared = ReadUInt32(_block.AsSpan(4));
        int minimum = BlockHeaderLength + BlockTrailerLength + (type == PcapngBlocks.SectionHeader ? 16 : 0);
        if (declared < minimum || declared % 4 != 0 || declared > MaxBlockLength)
            throw Corrupt($"block length {declared} is not a multiple of 4 between {minimum} and {MaxBlockLength}; the file is corrupt");
        length = (int)declared;
        if (_block.Length < length)
            Array.Resize(ref _block, length);
        int have = type == PcapngBlocks.SectionHeader ? BlockHeaderLength + 4 : BlockHeaderLength;
        got = _stream.ReadAtLeast(_block.AsSpan(have, length - have), length - have, throwOnEndOfStream: false);
        if (got < length - have)
            throw Corrupt($"the file ends inside the block ({have + got} of {length} bytes)");
        if (ReadUInt32(_block.AsSpan(length - BlockTrailerLength)) != declared)
            throw Corrupt($"the block's closing length {ReadUInt32(_block.AsSpan(length - BlockTrailerLength))} differs from its opening length {declared}; the file is corrupt");
        _nextOffset = _offset + length;

        if (type == PcapngBlocks.SectionHeader)
            StartSection();
        else if (type == PcapngBlocks.InterfaceDescription)
            AddInterface(length);
        return true;
    }

    private void ReadByteOrder()
    {
        int got = _stream.ReadAtLeast(_block.AsSpan(BlockHeaderLength, 4), 4, throwOnEndOfStream: false);
        if (got < 4)
            throw Corrupt("the file ends inside the section header block");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(_block.AsSpan(BlockHeaderLength));
        if (magic == PcapngBlocks.ByteOrderMagic)
            _bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) == PcapngBlocks.ByteOrderMagic)
            _bigEndian = true;
        else
            throw Corrupt($"the section header's byte-order magic is 0x{magic:x8}, not 1a2b3c4d in either byte order");
    }

    private void StartSection()
    {
        ushort major = ReadUInt16(_block.AsSpan(12)), minor = ReadUInt16(_block.AsSpan(14));
        if (major != 1)
            throw new PcapException($"{Name}: block at offset {_offset}: pcapng version {major}.{minor} is not supported (1.0 expected)");
        _interfaces.Clear(); // interface numbers start again in each section
    }

    private void AddInterface(int length)
    {
        Span<byte> body = _block.AsSpan(BlockHeaderLength, length - BlockHeaderLength - BlockTrailerLength);
        if (body.Length < 8)
            throw Corrupt("interface description block too short for its fields");
        uint linkType = ReadUInt16(body);
        LinkTypes.RequireEthernet(Name, linkType, $"interface {_interfaces.Count} (block at offset {_offset})");
        var captureInterface = new CaptureInterface(ReadUInt32(body[4..]), 1_000_000, 0);
        for (Span<byte> options = body[8..]; options.Length >= 4;)
        {
            ushort code = ReadUInt16(options), size = ReadUInt16(options[2..]);
            if (code == PcapngBlocks.EndOfOptions)
                break;
            int padded = 4 + (size + 3) / 4 * 4;
            if (padded > options.Length)
                throw Corrupt($"interface option {code} runs past the end of its block");
            Span<byte> value = options.Slice(4, size);
            if (code == TimestampResolution && size == 1)
                captureInterface = captureInterface with { UnitsPerSecond = UnitsPerSecond(value[0]) };
            else if (code == TimestampOffset && size == 8)
                captureInterface = captureInterface with { OffsetSeconds = (long)ReadUInt64(value) };
            options = options[padded..];
        }
        _interfaces.Add(captureInterface);
    }

    private ulong UnitsPerSecond(byte resolution)
    {
        int exponent = resolution & 0x7F;
        bool binary = (resolution & 0x80) != 0;
        if (binary ? exponent > 63 : exponent > 19)
            throw Corrupt($"timestamp resolution 0x{resolution:x2} is finer than this reader can count");
        return binary ? 1UL << exponent : TenToThe(exponent);
    }

    private static ulong TenToThe(int exponent)
    {
        ulong value = 1;
        for (int i = 0; i < exponent; i++)
            value *= 10;
        return value;
    }

    /// <summary>An Enhanced or obsolete Packet block: interface, 64-bit timestamp, captured and original lengths, data.</summary>
    private CapturedFrame PacketRecord(long record, int length, uint interfaceId, int timestampAt)
    {
        int end = length - BlockTrailerLength;
        int dataAt = timestampAt + 16;
        if (dataAt > end)
            throw RecordCorrupt(record, "packet block too short for its fields");
        CaptureInterface captureInterface = Interface(record, interfaceId);
        ulong ticks = (ulong)ReadUInt32(_block.AsSpan(timestampAt)) << 32 | ReadUInt32(_block.AsSpan(timestampAt + 4));
        uint captured = ReadUInt32(_block.AsSpan(timestampAt + 8)), original = ReadUInt32(_block.AsSpan(timestampAt + 12));
        if (captured > end - dataAt)
            throw RecordCorrupt(record, $"captured length {captured} runs past the end of its block ({end - dataAt} bytes of data)");
        var timestamp = PcapTimestamp.FromFraction(captureInterface.OffsetSeconds, ticks, captureInterface.UnitsPerSecond);
        return new CapturedFrame(record, _offset, timestamp, _block.AsMemory(dataAt, (int)captured), Math.Max(original, captured));
    }

    /// <summary>A Simple Packet block: interface 0, no timestamp, the original length and as much data as the snap length kept.</summary>
    private CapturedFrame SimplePacketRecord(long record, int length)
    {
        const int DataAt = BlockHeaderLength + 4;
        int end = length - BlockTrailerLength;
        if (DataAt > end)
            throw RecordCorrupt(record, "simple packet block too short for its fields");
        CaptureInterface captureInterface = Interface(record, 0);
        uint original = ReadUInt32(_block.AsSpan(BlockHeaderLength));
        uint captured = Math.Min(original, (uint)(end - DataAt));
        if (captureInterface.SnapLength > 0)
            captured = Math.Min(captured, captureInterface.SnapLength);
        return new CapturedFrame(record, _offset, default, _block.AsMemory(DataAt, (int)captured), original);
    }

    private CaptureInterface Interface(long record, uint id) => id < (uint)_interfaces.Count
        ? _interfaces[(int)id]
        : throw RecordCorrupt(record, $"names interface {id}, but its section describes {_interfaces.Count} interface(s)");

    private PcapException Corrupt(string what) => new($"{Name}: block at offset {_offset}: {what}");

    private PcapException RecordCorrupt(long record, string what) => new($"{Name}: record {record} at offset {_offset}: {what}");

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private ulong ReadUInt64(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    private sealed record CaptureInterface(uint SnapLength, ulong UnitsPerSecond, long OffsetSeconds);
}
