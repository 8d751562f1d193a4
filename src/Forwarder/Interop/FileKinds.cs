using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>
/// Reads what a path is with <c>statx</c>: .NET's file APIs tell a directory from a file
/// but not a socket from a regular file, which the API's socket path and token file must tell apart
/// (and a FIFO or device from a regular file, which the configuration file's reader must).
/// </summary>
internal static unsafe class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: mask, blksize, attributes (u64), nlink, uid, gid, then mode (u16)
    private const int StatxSize = 256;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <param name="followLink">Describe what a final symbolic link points to, rather than the link.</param>
    /// <exception cref="IOException">The path cannot be examined (no permission to search a directory...).</exception>
    public static FileKind Of(string path, bool followLink = false)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Posix.Statx(AtFdCwd, path, followLink ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir)
                return FileKind.Missing;
            throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return KindOf(*(ushort*)(buffer + ModeOffset));
    }

    /// <summary>What an open descriptor is: checked on the descriptor itself, so the path cannot be swapped in between.</summary>
    /// <exception cref="IOException">The descriptor cannot be examined.</exception>
    public static FileKind Of(SafeHandle file)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Posix.Statx((int)file.DangerousGetHandle(), "", AtEmptyPath, StatxType, buffer) != 0)
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        return KindOf(*(ushort*)(buffer + ModeOffset));
    }

    private static FileKind KindOf(ushort mode) =>
        (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };

    /// <summary>As a message says it: "a directory", "a symbolic link"...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Socket => "a socket",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Missing => "missing",
        _ => "a device or pipe",
    };
}
