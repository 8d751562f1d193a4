using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.PacketSocketInterop;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// An AF_PACKET socket on one device of a namespace: sends whole Ethernet frames as they are, and
/// sees every frame the device sends or receives. It is created on a thread inside the namespace
/// and stays there.
/// </summary>
public sealed unsafe class PacketSocket : IDisposable
{
    private int _fd;

    private PacketSocket(int fd) => _fd = fd;

    public static PacketSocket Open(NetworkNamespace ns, string device) => ns.RunInside(() =>
    {
        uint index = IfNameToIndex(device);
        if (index == 0)
            throw new IOException($"if_nametoindex {device} in {ns.Name}: errno {Marshal.GetLastPInvokeError()}");
        ushort protocol = BinaryPrimitives.ReverseEndianness(ETH_P_ALL);
        int fd = Socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
            throw new IOException($"socket(AF_PACKET) in {ns.Name}: errno {Marshal.GetLastPInvokeError()}");
        var address = new SocketAddressLinkLayer { Family = AF_PACKET, Protocol = protocol, InterfaceIndex = (int)index };
        if (Bind(fd, &address, (uint)sizeof(SocketAddressLinkLayer)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new IOException($"bind(AF_PACKET, {device}) in {ns.Name}: errno {errno}");
        }
        return new PacketSocket(fd);
    });

    public void Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* bytes = frame)
        {
            if (PacketSocketInterop.Send(_fd, bytes, (nuint)frame.Length, 0) != frame.Length)
                throw new IOException($"send on AF_PACKET: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The first frame within <paramref name="timeout"/> that <paramref name="wanted"/> accepts, or null.</summary>
    public byte[]? ReceiveFirst(Func<byte[], bool> wanted, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[2048];
        for (int frames = 0; frames < 10_000 && clock.Elapsed < timeout; frames++)
        {
            var poll = new PollFd { Fd = _fd, Events = POLLIN };
            int remainingMs = (int)Math.Max(1, (timeout - clock.Elapsed).TotalMilliseconds);
            if (Poll(&poll, 1, remainingMs) <= 0)
                return null;
            nint length;
            fixed (byte* bytes = buffer)
                length = Recv(_fd, bytes, (nuint)buffer.Length, 0);
            if (length <= 0)
                continue;
            byte[] frame = buffer.AsSpan(0, (int)length).ToArray();
            if (wanted(frame))
                return frame;
        }
        return null;
    }

    public void Dispose()
    {
        if (_fd > 0)
            Close(_fd);
        _fd = 0;
    }
}
