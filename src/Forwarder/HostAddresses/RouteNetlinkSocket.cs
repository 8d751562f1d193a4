using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using AfXdp;
using Forwarder.Interop;
using static Forwarder.HostAddresses.NetlinkInterop;
using static Forwarder.Interop.Posix;

namespace Forwarder.HostAddresses;

/// <summary>
/// A NETLINK_ROUTE socket of this process's network namespace: either subscribed to address changes, or used
/// once to list every address. Reading addresses needs no capability. Control path only.
/// </summary>
public sealed unsafe class RouteNetlinkSocket : IDisposable
{
    /// <summary>What <see cref="Receive"/> returns when the kernel dropped notifications (ENOBUFS): the listener must resync.</summary>
    public const int Overrun = -1;

    /// <summary>Large enough for any one message the kernel sends (it fills at most a page, or 32 KiB, per recv).</summary>
    public const int BufferSize = 64 * 1024;

    private static readonly TimeSpan DumpTimeout = TimeSpan.FromSeconds(5);
    private static int _sequence;
    private int _fd;

    private RouteNetlinkSocket(int fd) => _fd = fd;

    /// <summary>A socket that receives RTM_NEWADDR / RTM_DELADDR for every IPv4 and IPv6 address change.</summary>
    public static RouteNetlinkSocket SubscribeToAddressChanges() => Open(RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);

    private static RouteNetlinkSocket Open(uint groups)
    {
        int fd = Socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
            throw Failed("socket(AF_NETLINK, NETLINK_ROUTE)");
        var address = new SockaddrNl { Family = AF_NETLINK, Groups = groups };
        if (Bind(fd, &address, (uint)sizeof(SockaddrNl)) != 0)
        {
            IOException error = Failed("bind(AF_NETLINK)");
            Close(fd);
            throw error;
        }
        return new RouteNetlinkSocket(fd);
    }

    /// <summary>Every IPv4 and IPv6 address of every interface of this network namespace, as the kernel lists them now.</summary>
    public static IReadOnlyList<IPAddress> ListAddresses()
    {
        using RouteNetlinkSocket socket = Open(0);
        uint sequence = (uint)Interlocked.Increment(ref _sequence);
        socket.Send(AddressMessages.DumpRequest(sequence));
        var buffer = new byte[BufferSize];
        var messages = new List<AddressMessage>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < DumpTimeout)
        {
            int length = socket.Receive(buffer, (int)Math.Max(1, (DumpTimeout - clock.Elapsed).TotalMilliseconds));
            if (length == Overrun)
                throw new IOException("the address list overran the netlink socket's buffer");
            switch (AddressMessages.Parse(buffer.AsSpan(0, Math.Max(length, 0)), messages, out int error))
            {
                case NetlinkReadEnd.Done:
                    return messages.Where(m => m.Added).Select(m => m.Address).Distinct().ToArray();
                case NetlinkReadEnd.Error:
                    throw new IOException($"listing addresses (RTM_GETADDR): {Marshal.GetPInvokeErrorMessage(error)}");
                case NetlinkReadEnd.Malformed:
                    throw new IOException("listing addresses (RTM_GETADDR): the kernel's answer does not parse");
            }
        }
        throw new IOException($"listing addresses (RTM_GETADDR): no complete answer within {DumpTimeout.TotalSeconds:0} s");
    }

    private void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message)
        {
            if (Posix.Send(_fd, data, (nuint)message.Length, 0) != message.Length)
                throw Failed("send(AF_NETLINK)");
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for messages and reads one datagram of them.</summary>
    /// <returns>Bytes read; 0 when none came in time; <see cref="Overrun"/> when the kernel dropped some.</returns>
    public int Receive(Span<byte> buffer, int timeoutMs)
    {
        var poll = new PollFd { Fd = _fd, Events = POLLIN };
        int ready = Poll(&poll, 1, timeoutMs);
        if (ready < 0)
            return Marshal.GetLastPInvokeError() == Errnos.EINTR ? 0 : throw Failed("poll(AF_NETLINK)");
        if (ready == 0)
            return 0;
        fixed (byte* data = buffer)
        {
            nint length = Recv(_fd, data, (nuint)buffer.Length, MSG_DONTWAIT);
            if (length >= 0)
                return (int)length;
        }
        return Marshal.GetLastPInvokeError() switch
        {
            Errnos.ENOBUFS => Overrun, // the kernel dropped notifications: its receive buffer was full
            Errnos.EAGAIN or Errnos.EINTR => 0,
            _ => throw Failed("recv(AF_NETLINK)"),
        };
    }

    private static IOException Failed(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Close(fd);
    }
}
