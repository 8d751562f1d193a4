using System.Net;
using System.Runtime.InteropServices;

namespace Forwarder.HostAddresses;

/// <summary>
/// Route netlink address messages (rtnetlink(7)), read and written: the RTM_GETADDR dump request, and the
/// RTM_NEWADDR / RTM_DELADDR messages a dump or a notification brings. Integers are in host byte order;
/// every message and attribute starts 4-byte aligned. An address is <c>IFA_LOCAL</c> when present (for IPv4
/// it is the interface's own address; <c>IFA_ADDRESS</c> is the peer's on point-to-point links), else
/// <c>IFA_ADDRESS</c> (IPv6 sends only that).
/// </summary>
public static class AddressMessages
{
    public const ushort NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public const ushort RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    public const ushort NLM_F_REQUEST = 0x1, NLM_F_DUMP = 0x300;
    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2;
    public const byte AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;

    /// <summary>struct nlmsghdr: length, type, flags, sequence, port id.</summary>
    public const int HeaderLength = 16;
    /// <summary>struct ifaddrmsg: family, prefix length, flags, scope, interface index.</summary>
    public const int IfAddrLength = 8;
    /// <summary>struct rtattr: length, type.</summary>
    public const int AttributeHeaderLength = 4;

    /// <summary>RTM_GETADDR with NLM_F_DUMP over every family: the kernel answers with one RTM_NEWADDR per address, then NLMSG_DONE.</summary>
    public static byte[] DumpRequest(uint sequence)
    {
        var request = new byte[HeaderLength + IfAddrLength];
        Span<byte> span = request;
        MemoryMarshal.Write(span, (uint)request.Length);
        MemoryMarshal.Write(span[4..], RTM_GETADDR);
        MemoryMarshal.Write(span[6..], (ushort)(NLM_F_REQUEST | NLM_F_DUMP));
        MemoryMarshal.Write(span[8..], sequence);
        span[HeaderLength] = AF_UNSPEC;
        return request;
    }

    /// <summary>Reads every message in <paramref name="buffer"/> (one recv's worth), adding the address messages to <paramref name="into"/>.</summary>
    /// <param name="error">With <see cref="NetlinkReadEnd.Error"/>: the errno the kernel answered (positive).</param>
    public static NetlinkReadEnd Parse(ReadOnlySpan<byte> buffer, List<AddressMessage> into, out int error)
    {
        error = 0;
        int offset = 0;
        while (buffer.Length - offset >= HeaderLength)
        {
            ReadOnlySpan<byte> header = buffer[offset..];
            int length = (int)Math.Min(MemoryMarshal.Read<uint>(header), int.MaxValue);
            if (length < HeaderLength || length > header.Length)
                return NetlinkReadEnd.Malformed;
            ushort type = MemoryMarshal.Read<ushort>(header[4..]);
            ReadOnlySpan<byte> payload = header[HeaderLength..length];
            switch (type)
            {
                case NLMSG_DONE:
                    return NetlinkReadEnd.Done;
                case NLMSG_ERROR:
                    if (payload.Length < 4)
                        return NetlinkReadEnd.Malformed;
                    int code = MemoryMarshal.Read<int>(payload);
                    if (code != 0)
                    {
                        error = -code;
                        return NetlinkReadEnd.Error;
                    }
                    break; // an acknowledgement
                case RTM_NEWADDR or RTM_DELADDR:
                    if (!TryReadAddress(payload, type == RTM_NEWADDR, into))
                        return NetlinkReadEnd.Malformed;
                    break;
            }
            offset += Align(length);
        }
        // The last message's padding may be left out; anything else left over is a cut header.
        return offset >= buffer.Length ? NetlinkReadEnd.More : NetlinkReadEnd.Malformed;
    }

    /// <summary>The address of one ifaddrmsg and its attributes; false when they are malformed. Families other than IPv4 and IPv6 are skipped.</summary>
    private static bool TryReadAddress(ReadOnlySpan<byte> payload, bool added, List<AddressMessage> into)
    {
        if (payload.Length < IfAddrLength)
            return false;
        byte family = payload[0];
        int index = MemoryMarshal.Read<int>(payload[4..]);
        int addressLength = family switch { AF_INET => 4, AF_INET6 => 16, _ => 0 };
        ReadOnlySpan<byte> local = default, address = default;
        int offset = IfAddrLength;
        while (payload.Length - offset >= AttributeHeaderLength)
        {
            ReadOnlySpan<byte> attribute = payload[offset..];
            int length = MemoryMarshal.Read<ushort>(attribute);
            if (length < AttributeHeaderLength || length > attribute.Length)
                return false;
            ushort type = MemoryMarshal.Read<ushort>(attribute[2..]);
            ReadOnlySpan<byte> value = attribute[AttributeHeaderLength..length];
            if (type == IFA_LOCAL)
                local = value;
            else if (type == IFA_ADDRESS)
                address = value;
            offset += Align(length);
        }
        if (addressLength == 0)
            return true;
        ReadOnlySpan<byte> chosen = local.Length > 0 ? local : address;
        if (chosen.Length != addressLength)
            return chosen.Length == 0;
        into.Add(new AddressMessage(added, new IPAddress(chosen), index));
        return true;
    }

    private static int Align(int length) => (length + 3) & ~3;
}
