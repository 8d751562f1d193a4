using System.Net;
using System.Runtime.InteropServices;
using Forwarder.HostAddresses;

namespace Forwarder.Tests.HostAddresses;

/// <summary>Netlink messages built by hand, byte by byte (host byte order, 4-byte alignment), as the kernel sends them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class NetlinkBytes
{
    public static byte[] Message(ushort type, ReadOnlySpan<byte> payload, ushort flags = 2 /* NLM_F_MULTI */, uint sequence = 7)
    {
        var message = new byte[Align(AddressMessages.HeaderLength + payload.Length)];
        Span<byte> span = message;
        MemoryMarshal.Write(span, (uint)(AddressMessages.HeaderLength + payload.Length));
        MemoryMarshal.Write(span[4..], type);
        MemoryMarshal.Write(span[6..], flags);
        MemoryMarshal.Write(span[8..], sequence);
        payload.CopyTo(span[AddressMessages.HeaderLength..]);
        return message;
    }

    /// <summary>An ifaddrmsg and its attributes (type, value).</summary>
    public static byte[] Address(byte family, int interfaceIndex, params (ushort Type, byte[] Value)[] attributes)
    {
        var payload = new List<byte> { family, 24, 0, 0 };
        payload.AddRange(BitConverter.GetBytes(interfaceIndex));
        foreach ((ushort type, byte[] value) in attributes)
            payload.AddRange(Attribute(type, value));
        return [.. payload];
    }

    public static byte[] Attribute(ushort type, byte[] value)
    {
        var attribute = new byte[Align(AddressMessages.AttributeHeaderLength + value.Length)];
        MemoryMarshal.Write(attribute, (ushort)(AddressMessages.AttributeHeaderLength + value.Length));
        MemoryMarshal.Write(attribute.AsSpan(2), type);
        value.CopyTo(attribute, AddressMessages.AttributeHeaderLength);
        return attribute;
    }

    public static byte[] NewAddress(string address, int interfaceIndex = 2) => Message(AddressMessages.RTM_NEWADDR, AddressPayload(address, interfaceIndex));

    public static byte[] DeletedAddress(string address, int interfaceIndex = 2) => Message(AddressMessages.RTM_DELADDR, AddressPayload(address, interfaceIndex));

    public static byte[] Done() => Message(AddressMessages.NLMSG_DONE, BitConverter.GetBytes(0));

    public static byte[] Error(int errno) => Message(AddressMessages.NLMSG_ERROR, [.. BitConverter.GetBytes(-errno), .. new byte[16]]);

    private static byte[] AddressPayload(string address, int interfaceIndex)
    {
        IPAddress ip = IPAddress.Parse(address);
        byte family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressMessages.AF_INET6 : AddressMessages.AF_INET;
        return Address(family, interfaceIndex, (AddressMessages.IFA_ADDRESS, ip.GetAddressBytes()));
    }

    public static int Align(int length) => (length + 3) & ~3;
}
