using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Forwarder.Rewrite;

/// <summary>Unaligned big-endian stores into packet memory. Callers have checked the bounds.</summary>
internal static unsafe class WireWriter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt16BigEndian(byte* destination, ushort value) =>
        Unsafe.WriteUnaligned(destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt32BigEndian(byte* destination, uint value) =>
        Unsafe.WriteUnaligned(destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt64BigEndian(byte* destination, ulong value) =>
        Unsafe.WriteUnaligned(destination, BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    /// <summary>A host-order 16-bit number as a native load of its 2 wire bytes would see it (the form checksums use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort AsLoaded(ushort value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
