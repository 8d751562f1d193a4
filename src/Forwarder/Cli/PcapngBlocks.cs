using System.Buffers.Binary;

namespace Forwarder.Cli;

/// <summary>
/// Cuts the pcapng stream of <c>POST /capture</c> into whole blocks, so that only whole blocks reach the file (an
/// interrupted capture still leaves a readable file), and counts what passes: frames per interface (rx, tx, drop)
/// and the closing statistics (frames lost to capture ring overflow).
/// </summary>
internal sealed class PcapngBlocks
{
    /// <summary>No block of a capture is longer (a frame is at most 4096 bytes, twice, with options).</summary>
    private const int MaxBlock = 1 << 20;

    private byte[] _pending = new byte[64 * 1024];
    private int _length;

    public long Received { get; private set; }
    public long Transmitted { get; private set; }
    public long Dropped { get; private set; }

    /// <summary>Frames lost to capture ring overflow, from the closing statistics block; null until it came.</summary>
    public ulong? Lost { get; private set; }

    /// <summary>
    /// Takes <paramref name="data"/> and hands every block it completes to <paramref name="write"/>; false (nothing more
    /// should be read) when the stream is not pcapng.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> data, Action<ReadOnlyMemory<byte>> write)
    {
        if (_length + data.Length > _pending.Length)
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _length + data.Length));
        data.CopyTo(_pending.AsSpan(_length));
        _length += data.Length;
        int offset = 0;
        while (_length - offset >= 12)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(_pending.AsSpan(offset));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_pending.AsSpan(offset + 4));
            if (length < 12 || length % 4 != 0 || length > MaxBlock)
                return false;
            if (_length - offset < length)
                break;
            Count(type, _pending.AsSpan(offset, (int)length));
            write(_pending.AsMemory(offset, (int)length));
            offset += (int)length;
        }
        Array.Copy(_pending, offset, _pending, 0, _length - offset);
        _length -= offset;
        return true;
    }

    private void Count(uint type, ReadOnlySpan<byte> block)
    {
        if (type == 6 && block.Length >= 12)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(block[8..]))
            {
                case 0: Received++; break;
                case 1: Transmitted++; break;
                default: Dropped++; break;
            }
        }
        else if (type == 5 && block.Length >= 24)
        {
            // options from byte 20 to the trailing length: code, length, value padded to 4
            int at = 20;
            while (at + 4 <= block.Length - 4)
            {
                ushort code = BinaryPrimitives.ReadUInt16LittleEndian(block[at..]);
                ushort size = BinaryPrimitives.ReadUInt16LittleEndian(block[(at + 2)..]);
                if (code == 0 || at + 4 + size > block.Length - 4)
                    break;
                if (code == 5 && size == 8)
                    Lost = BinaryPrimitives.ReadUInt64LittleEndian(block[(at + 4)..]);
                at += 4 + (size + 3) / 4 * 4;
            }
        }
    }
}
