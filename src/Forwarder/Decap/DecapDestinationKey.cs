using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Forwarder.Decap;

/// <summary>
/// A key of decap.c's <c>destinations</c> map (<c>struct decap_destination</c>, 20 bytes): an
/// outer destination address whose encapsulated packets are stripped. The padding must stay zero,
/// since the kernel hashes every byte of the key.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 20)]
internal unsafe struct DecapDestinationKey
{
    public fixed byte Address[16]; // IPv4 in the first 4 bytes, rest zero
    public byte Family;            // 4 or 6
    private fixed byte _pad[3];

    public static DecapDestinationKey From(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var key = new DecapDestinationKey { Family = address.AddressFamily == AddressFamily.InterNetwork ? (byte)4 : (byte)6 };
        address.TryWriteBytes(new Span<byte>(key.Address, 16), out _);
        return key;
    }

    public readonly IPAddress ToAddress()
    {
        fixed (byte* bytes = Address)
            return new IPAddress(new ReadOnlySpan<byte>(bytes, Family == 4 ? 4 : 16));
    }
}
