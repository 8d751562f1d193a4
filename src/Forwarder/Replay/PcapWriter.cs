using System.Buffers.Binary;

namespace Forwarder.Replay;

/// <summary>
/// Writes a classic libpcap file as tcpdump does: little-endian, microsecond timestamps, link type
/// Ethernet, snap length 65535. Every frame is written whole.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    public const uint SnapLength = 65535;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[PcapReader.RecordHeaderLength];

    /// <summary>Writes the file header to <paramref name="stream"/>.</summary>
    public PcapWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[PcapReader.FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapReader.MicrosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        header[8..16].Clear(); // time zone and timestamp accuracy: always 0
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypes.Ethernet);
        _stream.Write(header);
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static PcapWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16));

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Appends one frame; its timestamp keeps microseconds (nanoseconds are truncated).</summary>
    public void Write(PcapTimestamp timestamp, ReadOnlySpan<byte> frame)
    {
        if (timestamp.Seconds is < 0 or > uint.MaxValue)
            throw new PcapException($"timestamp {timestamp} does not fit a pcap file (seconds 0 to {uint.MaxValue})");
        if ((uint)frame.Length > SnapLength)
            throw new PcapException($"a frame of {frame.Length} bytes is longer than the snap length {SnapLength}");
        BinaryPrimitives.WriteUInt32LittleEndian(_header, (uint)timestamp.Seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), timestamp.Nanoseconds / 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(12), (uint)frame.Length);
        _stream.Write(_header);
        _stream.Write(frame);
        Frames++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        if (_leaveOpen)
            _stream.Flush();
        else
            _stream.Dispose();
    }
}
