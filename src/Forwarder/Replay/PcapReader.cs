using System.Buffers.Binary;

namespace Forwarder.Replay;

/// <summary>
/// Reads a classic libpcap file: a 24-byte file header, then records of a 16-byte header and the captured
/// bytes. Both byte orders are read, with microsecond (a1b2c3d4) or nanosecond (a1b23c4d) timestamps;
/// only Ethernet captures are accepted.
/// </summary>
public sealed class PcapReader : ICaptureReader
{
    public const uint MicrosecondMagic = 0xA1B2C3D4;
    public const uint NanosecondMagic = 0xA1B23C4D;
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;

    /// <summary>The largest captured length believed (as Wireshark's limit): anything larger means a corrupt file.</summary>
    public const uint MaxCapturedLength = 262144;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly bool _bigEndian;
    private readonly ulong _unitsPerSecond;
    private readonly byte[] _header = new byte[RecordHeaderLength];
    private byte[] _data = new byte[65536];
    private long _offset = FileHeaderLength;
    private long _record;

    /// <summary>Reads the file header from <paramref name="stream"/>'s current position; <paramref name="name"/> is used in messages.</summary>
    public PcapReader(Stream stream, string name, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Name = name;
        Span<byte> header = stackalloc byte[FileHeaderLength];
        int got = stream.ReadAtLeast(header, FileHeaderLength, throwOnEndOfStream: false);
        if (got < 4)
            throw new PcapException($"{name}: not a capture file: {got} byte(s), too short for a pcap header");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        (_bigEndian, Nanoseconds) = magic switch
        {
            MicrosecondMagic => (false, false),
            NanosecondMagic => (false, true),
            _ when BinaryPrimitives.ReverseEndianness(magic) == MicrosecondMagic => (true, false),
            _ when BinaryPrimitives.ReverseEndianness(magic) == NanosecondMagic => (true, true),
            _ => throw new PcapException($"{name}: not a pcap file: it starts with {CaptureFile.Hex(header[..4])}"),
        };
        if (got < FileHeaderLength)
            throw new PcapException($"{name}: the file ends inside the pcap file header ({got} of {FileHeaderLength} bytes)");
        _unitsPerSecond = Nanoseconds ? 1_000_000_000UL : 1_000_000UL;

        ushort major = ReadUInt16(header[4..]), minor = ReadUInt16(header[6..]);
        if (major != 2)
            throw new PcapException($"{name}: pcap version {major}.{minor} is not supported (2.4 expected)");
        SnapLength = ReadUInt32(header[16..]);
        uint linkField = ReadUInt32(header[20..]);
        LinkType = linkField & 0xFFFF;
        LinkTypes.RequireEthernet(name, LinkType);
        if (linkField >> 16 != 0)
            throw new PcapException($"{name}: the link type field 0x{linkField:x8} announces a frame check sequence or other extras after each frame; replay reads plain Ethernet captures only");
    }

    public string Name { get; }

    public uint LinkType { get; }

    public uint SnapLength { get; }

    /// <summary>The file's numbers are big-endian (its magic reads d4c3b2a1 or 4d3cb2a1 little-endian).</summary>
    public bool IsBigEndian => _bigEndian;

    /// <summary>Timestamps are in nanoseconds (magic a1b23c4d) rather than microseconds.</summary>
    public bool Nanoseconds { get; }

    public bool TryRead(out CapturedFrame frame)
    {
        frame = default;
        long record = _record + 1;
        int got = _stream.ReadAtLeast(_header, RecordHeaderLength, throwOnEndOfStream: false);
        if (got == 0)
            return false;
        if (got < RecordHeaderLength)
            throw new PcapException($"{Name}: record {record} at offset {_offset}: the file ends inside the record header ({got} of {RecordHeaderLength} bytes)");

        uint seconds = ReadUInt32(_header), fraction = ReadUInt32(_header.AsSpan(4));
        uint captured = ReadUInt32(_header.AsSpan(8)), original = ReadUInt32(_header.AsSpan(12));
        if (captured > MaxCapturedLength)
            throw new PcapException($"{Name}: record {record} at offset {_offset}: captured length {captured} is more than any frame ({MaxCapturedLength} bytes at most); the file is corrupt");
        if (_data.Length < captured)
            _data = new byte[captured];
        got = _stream.ReadAtLeast(_data.AsSpan(0, (int)captured), (int)captured, throwOnEndOfStream: false);
        if (got < captured)
            throw new PcapException($"{Name}: record {record} at offset {_offset}: the file ends inside the frame ({got} of {captured} bytes)");

        frame = new CapturedFrame(record, _offset, PcapTimestamp.FromFraction(seconds, fraction, _unitsPerSecond),
            _data.AsMemory(0, (int)captured), Math.Max(original, captured));
        _record = record;
        _offset += RecordHeaderLength + captured;
        return true;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
            _stream.Dispose();
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
