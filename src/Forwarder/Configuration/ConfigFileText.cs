using System.Runtime.InteropServices;
using System.Text;
using Forwarder.Interop;
using Microsoft.Win32.SafeHandles;

namespace Forwarder.Configuration;

/// <summary>
/// Reads a configuration file: the one reader for <c>check</c>, <c>replay</c>, <c>run --config</c> and
/// every reload. Only a regular file is read — a FIFO would block the reader forever and a device such
/// as <c>/dev/zero</c> never ends — so the file is opened without blocking and its type checked on the
/// open descriptor before any read. The size limit is enforced while reading, not after: a file that
/// grows while it is read is still refused at <see cref="ForwarderConfigLoader.MaxFileBytes"/>.
/// No advisory lock is taken, so an editor holding or replacing the file never gets in the way.
/// </summary>
public static class ConfigFileText
{
    private const int ChunkBytes = 64 << 10;
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;

    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="IOException">It is not a regular file, is larger than a configuration may be, or reading failed.</exception>
    public static string Read(string path)
    {
        using SafeFileHandle file = Open(path);
        long size = RegularFileSize(file);
        if (size > ForwarderConfigLoader.MaxFileBytes)
            throw TooLarge($"the file is {size} bytes");

        using var content = new MemoryStream((int)size);
        byte[] chunk = new byte[ChunkBytes];
        for (int read; (read = RandomAccess.Read(file, chunk, content.Length)) > 0;)
        {
            if (content.Length + read > ForwarderConfigLoader.MaxFileBytes)
                throw TooLarge("the file grew while it was read");
            content.Write(chunk, 0, read);
        }
        content.Position = 0;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static SafeFileHandle Open(string path)
    {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        int fd = Posix.Open(path, ReadOnly | NonBlocking | Posix.O_CLOEXEC, 0);
        if (fd < 0)
            throw Failure(Marshal.GetLastPInvokeError());
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static long RegularFileSize(SafeFileHandle file)
    {
        FileKind kind = FileKinds.Of(file);
        if (kind != FileKind.Regular)
            throw new IOException($"it is {FileKinds.Describe(kind)}, not a regular file; give the path of the configuration file");
        return RandomAccess.GetLength(file);
    }

    private static IOException TooLarge(string what) =>
        new($"{what}; a configuration file may have at most {ForwarderConfigLoader.MaxFileBytes} bytes ({ForwarderConfigLoader.MaxFileBytes >> 20} MiB)");

    private static Exception Failure(int errno)
    {
        string message = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            2 => new FileNotFoundException(message), // ENOENT
            1 or 13 => new UnauthorizedAccessException(message), // EPERM, EACCES
            _ => new IOException(message),
        };
    }
}
