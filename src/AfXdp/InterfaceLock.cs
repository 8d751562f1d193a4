using System.Text;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// One owner per interface: an exclusive flock on /run/afxdp/NETNS-IFINDEX.lock (the owner's pid beside it, in .owner).
/// The kernel drops the lock when the owner dies, however it dies, so a killed owner never blocks a restart.
/// </summary>
public sealed class InterfaceLock : IDisposable
{
    private const string Directory = "/run/afxdp";
    private int _fd;

    private InterfaceLock(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The locked descriptor (close-on-exec), to hand the lock to an exec'd successor (<see cref="Adopt"/>).</summary>
    public int Fd => _fd;

    /// <summary>Takes the lock, or throws <see cref="InvalidOperationException"/> naming the process that holds it.</summary>
    public static InterfaceLock Acquire(NetworkInterface iface, string owner)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = PathOf(iface);
        int fd = LibC.Open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, Convert.ToInt32("644", 8));
        if (fd < 0)
            throw XdpException.FromLastError("open", path);
        if (LibC.Flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0)
        {
            LibC.Close(fd);
            string holder = File.Exists(path + ".owner") ? File.ReadAllText(path + ".owner").Trim() : "";
            throw new InvalidOperationException(
                $"{iface.Name} is already served by another instance ({(holder.Length > 0 ? holder : "unknown process")}; lock {path}). " +
                "Stop that instance first: only one forwarder may own an interface.");
        }
        // .NET's file APIs take flocks of their own, so the owner's name lives in a file beside the lock.
        File.WriteAllText(path + ".owner", $"{owner} pid {Environment.ProcessId}\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return new InterfaceLock(fd, path);
    }

    /// <summary>
    /// Takes over the lock this process held as <paramref name="fd"/> before it exec'd itself (the lock belongs to
    /// the open file, which execve keeps; the pid in the owner note stays right). Throws when the descriptor is
    /// not the interface's lock file or does not hold the lock.
    /// </summary>
    public static InterfaceLock Adopt(NetworkInterface iface, int fd)
    {
        string path = PathOf(iface);
        string? target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        if (target != path || LibC.Flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0)
            throw new InvalidOperationException($"fd {fd} ({target ?? "not open"}) does not hold the lock {path} of {iface.Name}");
        return new InterfaceLock(fd, path);
    }

    private static string PathOf(NetworkInterface iface) => $"{Directory}/{NetworkNamespaceId()}-{iface.Index}.lock";

    /// <summary>The inode of this thread's network namespace: tells apart same-named interfaces of different namespaces.</summary>
    public static string NetworkNamespaceId()
    {
        string? target = new FileInfo("/proc/thread-self/ns/net").LinkTarget; // "net:[4026531840]"
        return target is null ? "0" : new string(target.Where(char.IsDigit).ToArray());
    }

    /// <summary>Writes the owner note again with this process's pid (an upgrade's successor, which holds the lock now).</summary>
    public void ClaimOwnerNote(string owner) =>
        File.WriteAllText(Path + ".owner", $"{owner} pid {Environment.ProcessId}\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    public void Dispose()
    {
        if (_fd > 0)
        {
            // The lock file stays (removing it while others may have it open would let two owners in); the owner note goes.
            File.Delete(Path + ".owner");
            LibC.Close(_fd);
            _fd = 0;
        }
    }
}
