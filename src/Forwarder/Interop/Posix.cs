using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>
/// The libc calls the forwarder makes itself, beside AF_XDP (which are AfXdp's): sockets of other families
/// (route netlink), the standard streams, file descriptors, file types and private directories. One place, so each call is
/// declared once; control path only, never per packet. Errors are left in errno (<c>SetLastError</c>).
/// </summary>
internal static unsafe partial class Posix
{
    private const string Library = "libc";

    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const int MSG_DONTWAIT = 0x40;
    public const int O_CLOEXEC = 0x80000;
    public const int F_DUPFD = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint length);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Library, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkdir(string path, uint mode);
}
