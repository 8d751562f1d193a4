using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>Unaligned big-endian loads from packet memory. Callers have checked the bounds.</summary>
internal static unsafe class WireReader
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ReadUInt16BigEndian(byte* source)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadUInt32BigEndian(byte* source)
    {
        uint raw = Unaligned32(source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>4 bytes as they are in memory (wire order kept).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Unaligned32(byte* source) => Unsafe.ReadUnaligned<uint>(source);
}
