using System.Runtime.InteropServices;

namespace Forwarder.Configuration;

/// <summary>
/// <c>statx</c>, to learn what kind of file a descriptor is before reading from it (.NET only tells
/// directories apart). statx's layout is the same on every architecture, unlike <c>struct stat</c>'s.
/// </summary>
internal static unsafe partial class FileTypeInterop
{
    public const int O_RDONLY = 0;
    public const int O_NONBLOCK = 0x800;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x1;
    public const uint STATX_SIZE = 0x200;
    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFIFO = 0x1000;
    public const int S_IFCHR = 0x2000;
    public const int S_IFBLK = 0x6000;
    public const int S_IFSOCK = 0xC000;

    /// <summary>The fields of <c>struct statx</c> read here, at their offsets; the kernel fills 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(40)] public ulong Size;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int StatxOf(int directoryFd, string path, int flags, uint mask, Statx* buffer);
}
