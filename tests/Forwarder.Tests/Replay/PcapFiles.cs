using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>Classic pcap files built byte by byte (either byte order, either resolution) and read back whole.</summary>
[SupportedOSPlatform("linux")]
internal static class PcapFiles
{
    public static byte[] Classic(IEnumerable<PcapRecord> records, bool bigEndian = false, bool nanoseconds = false,
        uint linkType = 1, ushort major = 2, ushort minor = 4, uint snapLength = 65535)
    {
        var file = new List<byte>();
        Add(file, nanoseconds ? PcapReader.NanosecondMagic : PcapReader.MicrosecondMagic, bigEndian);
        Add16(file, major, bigEndian);
        Add16(file, minor, bigEndian);
        Add(file, 0, bigEndian);
        Add(file, 0, bigEndian);
        Add(file, snapLength, bigEndian);
        Add(file, linkType, bigEndian);
        foreach (PcapRecord record in records)
        {
            Add(file, record.Seconds, bigEndian);
            Add(file, record.Fraction, bigEndian);
            Add(file, (uint)record.Data.Length, bigEndian);
            Add(file, record.Original, bigEndian);
            file.AddRange(record.Data);
        }
        return [.. file];
    }

    /// <summary>Frames of <paramref name="data"/>, one a second from 1700000000, with <paramref name="data"/>'s index as microseconds.</summary>
    public static byte[] OfFrames(params byte[][] data) =>
        Classic(data.Select((d, i) => new PcapRecord(1_700_000_000u + (uint)i, (uint)i, d)));

    /// <summary>Every frame of a capture file, copied out of the reader's buffer.</summary>
    public static List<(CapturedFrame Frame, byte[] Data)> ReadAll(byte[] file, string name = "test.pcap")
    {
        using ICaptureReader reader = CaptureFile.Open(new MemoryStream(file), name);
        var frames = new List<(CapturedFrame, byte[])>();
        while (reader.TryRead(out CapturedFrame frame))
            frames.Add((frame, frame.Data.ToArray()));
        return frames;
    }

    /// <summary>The exception reading the whole of <paramref name="file"/> ends with.</summary>
    public static PcapException ReadError(byte[] file, string name = "test.pcap") =>
        Assert.Throws<PcapException>(() => ReadAll(file, name));

    public static byte[] Frame(int length, byte seed = 0)
    {
        var frame = new byte[length];
        for (int i = 0; i < length; i++)
            frame[i] = (byte)(seed + i * 7);
        return frame;
    }

    private static void Add(List<byte> file, uint value, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        file.AddRange(bytes);
    }

    private static void Add16(List<byte> file, ushort value, bool bigEndian)
    {
        var bytes = new byte[2];
        if (bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        file.AddRange(bytes);
    }
}
