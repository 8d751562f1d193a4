using System.Buffers.Binary;

namespace Forwarder.Replay;

/// <summary>Opens a capture file as classic pcap or pcapng, whichever its first four bytes say it is.</summary>
public static class CaptureFile
{
    /// <summary>Opens <paramref name="path"/>; throws <see cref="PcapException"/> when it is no capture file this reader knows, and the usual I/O exceptions when it cannot be opened.</summary>
    public static ICaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return Open(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from <paramref name="stream"/> (seekable, at the file's start); the reader owns it.</summary>
    public static ICaptureReader Open(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length)
            throw new PcapException($"{name}: not a capture file: {got} byte(s), too short for a pcap or pcapng header");
        stream.Seek(-got, SeekOrigin.Current);
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(magic), big = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (little is PcapReader.MicrosecondMagic or PcapReader.NanosecondMagic || big is PcapReader.MicrosecondMagic or PcapReader.NanosecondMagic)
            return new PcapReader(stream, name);
        if (little == PcapngBlocks.SectionHeader)
            return new PcapngReader(stream, name);
        throw new PcapException($"{name}: not a capture file: it starts with {Hex(magic)}, not a pcap magic (a1b2c3d4 or a1b23c4d, either byte order) nor a pcapng section header (0a0d0d0a)");
    }

    /// <summary>Bytes as the file holds them, e.g. <c>7f 45 4c 46</c>.</summary>
    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant() is var hex
        ? string.Join(' ', Enumerable.Range(0, bytes.Length).Select(i => hex.Substring(i * 2, 2)))
        : "";
}
