using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// systemd's notify socket, played by the test: a Unix datagram socket bound to a path, with <c>SO_PASSCRED</c>, so the
/// kernel stamps every notification with its sender's pid (as systemd reads it), drained by a background thread (polled
/// every few milliseconds, stopped on dispose).
/// </summary>
public sealed partial class NotifySocket : IDisposable
{
    private const int SolSocket = 1, SoPassCred = 16, ScmCredentials = 2, MsgDontWait = 0x40;
    private const int MsgHdrSize = 56, ControlSize = 64, BufferSize = 4096;

    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly List<Notification> _received = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private volatile bool _stopping;

    /// <summary>One datagram: when it arrived, its sender's pid (0 when the kernel gave none) and its text.</summary>
    public sealed record Notification(TimeSpan At, int Pid, string Text)
    {
        public override string ToString() => $"{At.TotalMilliseconds,8:F0} ms pid {Pid}: {Text.Replace('\n', '|')}";
    }

    private NotifySocket(Socket socket)
    {
        _socket = socket;
        _thread = new Thread(Drain) { IsBackground = true, Name = "notify socket" };
        _thread.Start();
    }

    public static NotifySocket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoPassCred, BitConverter.GetBytes(1));
            socket.Bind(new UnixDomainSocketEndPoint(path)); // a path: reachable from the forwarder's network namespace
            return new NotifySocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Every notification so far, in the order they arrived.</summary>
    public IReadOnlyList<Notification> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public string Describe() => string.Join('\n', Received);

    private void Drain()
    {
        IntPtr header = Marshal.AllocHGlobal(MsgHdrSize), iov = Marshal.AllocHGlobal(16), control = Marshal.AllocHGlobal(ControlSize), data = Marshal.AllocHGlobal(BufferSize);
        try
        {
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            var bytes = new byte[BufferSize];
            while (!_stopping)
            {
                Marshal.WriteIntPtr(iov, 0, data);
                Marshal.WriteInt64(iov, 8, BufferSize);
                for (int i = 0; i < MsgHdrSize; i += 8)
                    Marshal.WriteInt64(header, i, 0);
                Marshal.WriteIntPtr(header, 16, iov);
                Marshal.WriteInt64(header, 24, 1);
                Marshal.WriteIntPtr(header, 32, control);
                Marshal.WriteInt64(header, 40, ControlSize);
                long length = RecvMsg(fd, header, MsgDontWait);
                if (length < 0)
                {
                    Thread.Sleep(2); // EAGAIN: nothing queued
                    continue;
                }
                Marshal.Copy(data, bytes, 0, (int)length);
                lock (_received)
                    _received.Add(new Notification(_clock.Elapsed, SenderPid(header, control), Encoding.UTF8.GetString(bytes, 0, (int)length)));
            }
        }
        finally
        {
            Marshal.FreeHGlobal(header);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(control);
            Marshal.FreeHGlobal(data);
        }
    }

    /// <summary>The pid of the (single) SCM_CREDENTIALS control message: cmsg_len, cmsg_level, cmsg_type, then struct ucred.</summary>
    private static int SenderPid(IntPtr header, IntPtr control)
    {
        long controlLength = Marshal.ReadInt64(header, 40);
        if (controlLength < 28 || Marshal.ReadInt32(control, 8) != SolSocket || Marshal.ReadInt32(control, 12) != ScmCredentials)
            return 0;
        return Marshal.ReadInt32(control, 16);
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial long RecvMsg(int fd, IntPtr message, int flags);

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
