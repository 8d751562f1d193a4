using System.Runtime.InteropServices;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// Descriptors handed from the process that created them to one exec'd from it (<see cref="XskHandOver"/>,
/// and the XDP program's): whether one is an AF_XDP socket, and whether it stays open across execve.
/// </summary>
public static class XskSocketFd
{
    /// <summary>True when <paramref name="fd"/> is an open AF_XDP socket.</summary>
    public static unsafe bool IsXdpSocket(int fd)
    {
        int domain = 0;
        uint length = sizeof(int);
        return fd >= 0 && LibC.GetSockOpt(fd, LibC.SOL_SOCKET, LibC.SO_DOMAIN, &domain, ref length) == 0 && domain == LibC.AF_XDP;
    }

    /// <summary>Marks a descriptor close-on-exec, so no process this one starts inherits it.</summary>
    public static void CloseOnExec(int fd) => SetFlags(fd, LibC.FD_CLOEXEC);

    /// <summary>Clears a descriptor's close-on-exec flag, so that the image this process execs keeps it.</summary>
    public static void KeepOpenOnExec(int fd) => SetFlags(fd, 0);

    private static void SetFlags(int fd, int flags)
    {
        if (LibC.Fcntl(fd, LibC.F_SETFD, flags) != 0)
            throw new XdpException("fcntl(F_SETFD)", Marshal.GetLastPInvokeError(), $"fd {fd}");
    }
}
