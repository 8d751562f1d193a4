using System.Runtime.CompilerServices;

namespace Forwarder.Rewrite;

/// <summary>
/// The destination and source MAC a rewritten frame goes out with: the first 12 bytes of its Ethernet
/// header, kept as one 8-byte and one 4-byte word so writing them is two stores.
/// </summary>
public readonly unsafe struct EthernetAddresses
{
    private readonly ulong _head;
    private readonly uint _tail;

    public EthernetAddresses(ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source)
    {
        if (destination.Length != 6 || source.Length != 6)
            throw new ArgumentException("MAC addresses are 6 bytes");
        Span<byte> header = stackalloc byte[12];
        destination.CopyTo(header);
        source.CopyTo(header[6..]);
        _head = Unsafe.ReadUnaligned<ulong>(ref header[0]);
        _tail = Unsafe.ReadUnaligned<uint>(ref header[8]);
    }

    /// <summary>Writes destination then source MAC at <paramref name="frame"/> (12 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte* frame)
    {
        Unsafe.WriteUnaligned(frame, _head);
        Unsafe.WriteUnaligned(frame + 8, _tail);
    }

    /// <summary>The destination MAC.</summary>
    public byte[] Destination
    {
        get
        {
            var mac = new byte[6];
            fixed (byte* p = mac)
            {
                ulong head = _head;
                Buffer.MemoryCopy(&head, p, 6, 6);
            }
            return mac;
        }
    }
}
