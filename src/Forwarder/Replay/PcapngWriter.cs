using System.Buffers.Binary;
using System.Text;

namespace Forwarder.Replay;

/// <summary>
/// Writes a pcapng file (the format <see cref="PcapngReader"/> reads) (IETF draft-ietf-opsawg-pcapng), little-endian, Ethernet frames, into a buffer the caller
/// sends on. The section declares three interfaces so that both sides of a rewrite are told apart:
/// <list type="bullet">
/// <item><see cref="Received"/> <c>rx</c>: a frame as it arrived, before parsing and rewriting (epb_flags inbound);</item>
/// <item><see cref="Transmitted"/> <c>tx</c>: the same frame as the worker transmitted it (epb_flags outbound);</item>
/// <item><see cref="Dropped"/> <c>drop</c>: a frame as it arrived that was dropped; its comment names the reason as
/// the metrics do (<c>drop: unknown_vip</c>).</item>
/// </list>
/// Timestamps are microseconds (the default resolution). The capture ends with an Interface Statistics Block on
/// <c>rx</c>: frames received that matched (isb_ifrecv) and frames lost to capture ring overflow (isb_ifdrop).
/// </summary>
public sealed class PcapngWriter
{
    public const uint Received = 0, Transmitted = 1, Dropped = 2;

    private const ushort OptComment = 1, IfName = 2, ShbUserAppl = 4, EpbFlags = 2, IsbStart = 2, IsbEnd = 3, IsbIfRecv = 4, IsbIfDrop = 5;
    private const uint Inbound = 1, Outbound = 2;

    private readonly MemoryStream _buffer = new();

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Pending => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    public void Clear() => _buffer.SetLength(0);

    /// <summary>The section header and the three interfaces, each keeping <paramref name="snapLength"/> bytes.</summary>
    public void WriteHeader(int snapLength)
    {
        Block(PcapngBlocks.SectionHeader, () =>
        {
            U32(PcapngBlocks.ByteOrderMagic);
            U16(1);
            U16(0);
            U64(ulong.MaxValue); // section length not given
            Option(ShbUserAppl, Encoding.UTF8.GetBytes("forwarder capture"));
            U32(0); // opt_endofopt
        });
        foreach (string name in (string[])["rx", "tx", "drop"])
        {
            Block(PcapngBlocks.InterfaceDescription, () =>
            {
                U16((ushort)LinkTypes.Ethernet);
                U16(0);
                U32((uint)snapLength);
                Option(IfName, Encoding.UTF8.GetBytes(name));
                U32(0);
            });
        }
    }

    /// <summary>One frame on one interface; <paramref name="comment"/> as opt_comment when given.</summary>
    public void WriteFrame(uint interfaceId, long utcTicks, uint originalLength, ReadOnlySpan<byte> kept, string? comment = null)
    {
        long start = _buffer.Length;
        U32(PcapngBlocks.EnhancedPacket);
        U32(0); // length, filled in below
        U32(interfaceId);
        Timestamp(utcTicks);
        U32((uint)kept.Length);
        U32(originalLength);
        _buffer.Write(kept);
        Pad(kept.Length);
        Span<byte> flags = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, interfaceId == Transmitted ? Outbound : Inbound);
        Option(EpbFlags, flags);
        if (comment is not null)
            Option(OptComment, Encoding.UTF8.GetBytes(comment));
        U32(0);
        Close(start);
    }

    /// <summary>The closing statistics: received frames kept and frames lost to overflow, from <paramref name="startTicks"/> to <paramref name="endTicks"/>.</summary>
    public void WriteStatistics(long startTicks, long endTicks, ulong received, ulong lost)
    {
        long start = _buffer.Length;
        U32(PcapngBlocks.InterfaceStatistics);
        U32(0);
        U32(Received);
        Timestamp(endTicks);
        Span<byte> value = stackalloc byte[8];
        WriteTimestampOption(IsbStart, startTicks, value);
        WriteTimestampOption(IsbEnd, endTicks, value);
        BinaryPrimitives.WriteUInt64LittleEndian(value, received);
        Option(IsbIfRecv, value);
        BinaryPrimitives.WriteUInt64LittleEndian(value, lost);
        Option(IsbIfDrop, value);
        Option(OptComment, Encoding.UTF8.GetBytes($"frames lost to capture ring overflow: {lost}"));
        U32(0);
        Close(start);
    }

    private void WriteTimestampOption(ushort code, long ticks, Span<byte> value)
    {
        ulong micros = Microseconds(ticks);
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)(micros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(value[4..], (uint)micros);
        Option(code, value);
    }

    private static ulong Microseconds(long utcTicks) => (ulong)Math.Max(0, utcTicks - DateTime.UnixEpoch.Ticks) / 10;

    private void Timestamp(long utcTicks)
    {
        ulong micros = Microseconds(utcTicks);
        U32((uint)(micros >> 32));
        U32((uint)micros);
    }

    private void Block(uint type, Action body)
    {
        long start = _buffer.Length;
        U32(type);
        U32(0);
        body();
        Close(start);
    }

    /// <summary>Appends the trailing length and writes it into the block's second word too.</summary>
    private void Close(long start)
    {
        uint length = (uint)(_buffer.Length - start + 4);
        U32(length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetBuffer().AsSpan((int)start + 4, 4), length);
    }

    private void Option(ushort code, ReadOnlySpan<byte> value)
    {
        U16(code);
        U16((ushort)value.Length);
        _buffer.Write(value);
        Pad(value.Length);
    }

    private void Pad(int length)
    {
        for (int i = length; i % 4 != 0; i++)
            _buffer.WriteByte(0);
    }

    private void U16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    private void U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    private void U64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }
}
