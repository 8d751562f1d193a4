using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>The libc calls of an upgrade: the hand-over socket pair, the configuration's memfd, and leaving without teardown.</summary>
internal static unsafe partial class Posix
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const uint MFD_CLOEXEC = 1;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int F_SETFD = 2;

    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    public static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Library, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MemfdCreate(string name, uint flags);

    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;
    public const int MAP_POPULATE = 0x8000;
    public const int SEEK_END = 2;

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    /// <summary>Ends the process at once: no finalizer, no exit handler, no teardown of what a successor now holds.</summary>
    [LibraryImport(Library, EntryPoint = "_exit")]
    public static partial void Exit(int status);
}
