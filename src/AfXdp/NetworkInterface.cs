using System.Runtime.InteropServices;
using System.Text;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// What set-up needs to know about an interface: index, MAC, MTU and queue count. Read through
/// ioctls on a socket, so the answers are those of the calling thread's network namespace
/// (sysfs shows the namespace it was mounted in, which after setns is the wrong one).
/// </summary>
public sealed record NetworkInterface(string Name, int Index, byte[] Mac, int Mtu, int RxQueues, int TxQueues)
{
    public string MacText => string.Join(':', Mac.Select(b => b.ToString("x2")));

    public static unsafe NetworkInterface Get(string name)
    {
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) >= 16)
            throw new ArgumentException($"'{name}' is not a valid interface name (1-15 bytes)");
        uint index = LibC.IfNameToIndex(name);
        if (index == 0)
            throw new XdpException("if_nametoindex", Marshal.GetLastPInvokeError() is var e && e != 0 ? e : Errnos.ENODEV, name);
        int fd = LibC.Socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (fd < 0)
            throw XdpException.FromLastError("socket(AF_INET)");
        try
        {
            IfReq req = IfReq.For(name);
            if (LibC.Ioctl(fd, LibC.SIOCGIFHWADDR, &req) != 0)
                throw XdpException.FromLastError("ioctl(SIOCGIFHWADDR)", name);
            byte[] mac = new Span<byte>(req.Data + 2, 6).ToArray(); // struct sockaddr: family, then the address
            req = IfReq.For(name);
            if (LibC.Ioctl(fd, LibC.SIOCGIFMTU, &req) != 0)
                throw XdpException.FromLastError("ioctl(SIOCGIFMTU)", name);
            int mtu = *(int*)req.Data;
            (int rx, int tx) = QueueCounts(fd, name);
            return new NetworkInterface(name, (int)index, mac, mtu, rx, tx);
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>Queue counts from ETHTOOL_GCHANNELS; (0, 0) when the driver does not say.</summary>
    private static unsafe (int Rx, int Tx) QueueCounts(int fd, string name)
    {
        const uint ETHTOOL_GCHANNELS = 0x3c;
        uint* channels = stackalloc uint[9]; // struct ethtool_channels
        new Span<uint>(channels, 9).Clear();
        channels[0] = ETHTOOL_GCHANNELS;
        IfReq req = IfReq.For(name);
        *(uint**)req.Data = channels;
        if (LibC.Ioctl(fd, LibC.SIOCETHTOOL, &req) != 0)
            return (0, 0);
        // rx_count, tx_count, other_count, combined_count
        return ((int)(channels[5] + channels[8]), (int)(channels[6] + channels[8]));
    }

    /// <summary>struct ifreq: a 16-byte name and a 24-byte union.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private unsafe struct IfReq
    {
        public fixed byte Name[16];
        public fixed byte Union[24];

        public byte* Data
        {
            get
            {
                fixed (byte* p = Union)
                    return p;
            }
        }

        public static IfReq For(string name)
        {
            IfReq req = default;
            Encoding.UTF8.GetBytes(name, new Span<byte>(req.Name, 15));
            return req;
        }
    }
}
