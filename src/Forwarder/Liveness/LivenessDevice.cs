using System.Runtime.InteropServices;
using System.Text;
using Forwarder.Interop;

namespace Forwarder.Liveness;

/// <summary>
/// The liveness device: a non-persistent TUN device this process holds open. The node's BIRD announces the VIPs
/// as static routes <c>via</c> it, so whatever ends the process (kill -9 included) closes the descriptor, the kernel
/// deletes the device and BIRD withdraws. Up and down are its administrative state (<c>SIOCSIFFLAGS</c>, needs
/// CAP_NET_ADMIN, which the forwarder keeps after set-up anyway): down takes the kernel's routes through it away
/// and BIRD sees the interface down. Made in the privileged part of set-up and handed across the re-exec as a
/// descriptor (<see cref="Adopt"/>). Nothing is ever written to it; packets routed into it are the kernel's to drop.
/// </summary>
public sealed unsafe class LivenessDevice : ILivenessSwitch, IDisposable
{
    private const int EBUSY = 16, EPERM = 1, ENOENT = 2, ENODEV = 19;
    private int _fd;

    private LivenessDevice(int fd, string name)
    {
        _fd = fd;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The open descriptor of <c>/dev/net/tun</c> attached to the device (close-on-exec).</summary>
    public int Fd => _fd;

    /// <summary>Creates the device, down. A device of that name that exists already (another forwarder's) is refused, never shared.</summary>
    public static LivenessDevice Create(string name)
    {
        int fd = Posix.Open("/dev/net/tun", Posix.O_RDWR | Posix.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException(errno is ENOENT or ENODEV
                ? $"liveness device {name}: /dev/net/tun is missing: load the tun module (modprobe tun)"
                : $"liveness device {name}: cannot open /dev/net/tun: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        Posix.InterfaceRequest request = Request(name);
        request.Flags = (short)(Posix.IFF_TUN | Posix.IFF_NO_PI | Posix.IFF_TUN_EXCL);
        if (Posix.Ioctl(fd, Posix.TUNSETIFF, &request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Posix.Close(fd);
            throw new InvalidOperationException(errno switch
            {
                // Any device of the name, in this network namespace: another forwarder's liveness device, or one of another kind.
                EBUSY => $"liveness device {name} exists already (another forwarder running with --liveness-device {name}, or another device of that name): stop that forwarder, or give this one another --liveness-device name",
                EPERM => $"liveness device {name}: creating a TUN device needs CAP_NET_ADMIN",
                _ => $"liveness device {name}: TUNSETIFF failed: {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        }
        return new LivenessDevice(fd, name);
    }

    /// <summary>Takes over a descriptor a privileged predecessor made with <see cref="Create"/>, after checking it holds the device of that name.</summary>
    public static LivenessDevice Adopt(int fd, string name)
    {
        Posix.InterfaceRequest request = default;
        if (Posix.Ioctl(fd, Posix.TUNGETIFF, &request) < 0)
            throw new InvalidOperationException($"inherited liveness descriptor {fd} is not a TUN device ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
        string held = NameOf(request);
        if (held != name)
            throw new InvalidOperationException($"inherited liveness descriptor {fd} holds device {held}, not {name}");
        return new LivenessDevice(fd, name);
    }

    /// <inheritdoc/>
    public void Set(bool up)
    {
        int socket = Posix.Socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.O_CLOEXEC, 0);
        if (socket < 0)
            throw new InvalidOperationException($"liveness device {Name}: socket: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        try
        {
            Posix.InterfaceRequest request = Request(Name);
            if (Posix.Ioctl(socket, Posix.SIOCGIFFLAGS, &request) < 0)
                throw Failed("SIOCGIFFLAGS");
            request.Flags = up ? (short)(request.Flags | Posix.IFF_UP) : (short)(request.Flags & ~Posix.IFF_UP);
            if (Posix.Ioctl(socket, Posix.SIOCSIFFLAGS, &request) < 0)
                throw Failed("SIOCSIFFLAGS");
        }
        finally
        {
            Posix.Close(socket);
        }
    }

    /// <summary>Closes the descriptor: the kernel deletes the device.</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Posix.Close(fd);
    }

    private InvalidOperationException Failed(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new InvalidOperationException(errno == EPERM
            ? $"liveness device {Name}: {call} needs CAP_NET_ADMIN"
            : $"liveness device {Name}: {call}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private static Posix.InterfaceRequest Request(string name)
    {
        Posix.InterfaceRequest request = default;
        byte[] bytes = Encoding.ASCII.GetBytes(name);
        if (bytes.Length > Posix.InterfaceNameMax)
            throw new ArgumentException($"liveness device name '{name}' is longer than {Posix.InterfaceNameMax} characters");
        for (int i = 0; i < bytes.Length; i++)
            request.Name[i] = bytes[i];
        return request;
    }

    private static string NameOf(Posix.InterfaceRequest request)
    {
        int length = 0;
        while (length < 16 && request.Name[length] != 0)
            length++;
        return Encoding.ASCII.GetString(request.Name, length);
    }
}
