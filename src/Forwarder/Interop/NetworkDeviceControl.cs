using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>
/// The libc calls of the liveness device: a TUN device made on <c>/dev/net/tun</c> (<c>TUNSETIFF</c>), its name
/// read back (<c>TUNGETIFF</c>), and any device's flags read and set (<c>SIOCGIFFLAGS</c>, <c>SIOCSIFFLAGS</c>)
/// through a datagram socket. Control path only.
/// </summary>
internal static unsafe partial class Posix
{
    public const int O_RDWR = 2;
    public const int AF_INET = 2;
    public const int SOCK_DGRAM = 2;
    /// <summary><c>_IOW('T', 202, int)</c>.</summary>
    public const uint TUNSETIFF = 0x400454ca;
    /// <summary><c>_IOR('T', 210, unsigned int)</c>.</summary>
    public const uint TUNGETIFF = 0x800454d2;
    public const uint SIOCGIFFLAGS = 0x8913;
    public const uint SIOCSIFFLAGS = 0x8914;
    public const short IFF_TUN = 0x0001;
    public const short IFF_NO_PI = 0x1000;
    /// <summary>TUNSETIFF fails with EBUSY when a device of the name exists, instead of attaching to it.</summary>
    public const short IFF_TUN_EXCL = unchecked((short)0x8000);
    public const short IFF_UP = 0x1;
    /// <summary>IFNAMSIZ less the terminating NUL.</summary>
    public const int InterfaceNameMax = 15;

    /// <summary><c>struct ifreq</c> as TUNSETIFF and SIOC[GS]IFFLAGS use it: the name, then the flags at the start of the union (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    public struct InterfaceRequest
    {
        public fixed byte Name[16];
        public short Flags;
    }

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);
}
