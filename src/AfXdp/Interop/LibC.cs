using System.Runtime.InteropServices;

namespace AfXdp.Interop;

/// <summary>
/// The few libc calls AF_XDP needs (wakeups, socket options and ring mappings, affinity, interface names,
/// locks, and descriptors handed over to an exec'd successor).
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int MSG_DONTWAIT = 0x40;
    public const int SOL_SOCKET = 1;
    public const int SOL_XDP = 283;
    public const int SO_BUSY_POLL = 46;
    public const int SO_PREFER_BUSY_POLL = 69;
    public const int SO_BUSY_POLL_BUDGET = 70;
    public const int XDP_OPTIONS = 8;
    public const int XDP_STATISTICS = 7;
    public const int XDP_MAX_TX_SKB_BUDGET = 9;
    public const short POLLIN = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_CLOEXEC = 0x80000;
    public const int AF_INET = 2;
    public const int SOCK_DGRAM = 2;
    public const nuint SIOCGIFMTU = 0x8921;
    public const nuint SIOCGIFHWADDR = 0x8927;
    public const nuint SIOCETHTOOL = 0x8946;
    public const int AF_XDP = 44;
    public const int SO_DOMAIN = 39;
    public const int XDP_MMAP_OFFSETS = 1;
    public const long XDP_PGOFF_RX_RING = 0;
    public const long XDP_PGOFF_TX_RING = 0x80000000;
    public const long XDP_UMEM_PGOFF_FILL_RING = 0x100000000;
    public const long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000;
    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;
    public const int MAP_POPULATE = 0x8000;
    public const uint MFD_CLOEXEC = 1;
    public const uint MFD_HUGETLB = 4;
    public const int SEEK_END = 2;
    public const int F_SETFD = 2;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int FD_CLOEXEC = 1;

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, void* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, void* buffer, nuint length, int flags, void* address, void* addressLength);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, ref uint length);

    [LibraryImport(Library, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport(Library, EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial uint IfNameToIndex(string name);

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(void* address, nuint length);

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
