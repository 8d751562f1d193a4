using System.Runtime.InteropServices;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The libc calls the tests need: entering a network namespace, signalling processes, the umask children inherit.</summary>
internal static partial class LibC
{
    private const string Library = "libc";

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int CLONE_NEWNET = 0x40000000;
    public const int SIGINT = 2;
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUFFORCE = 33;

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);

    [LibraryImport(Library, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
