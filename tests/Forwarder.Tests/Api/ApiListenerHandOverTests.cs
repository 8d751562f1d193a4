using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Cli;
using Forwarder.Interop;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Api;

/// <summary>
/// An upgrade hands the API's listening socket over: the successor's server listens on the predecessor's descriptor (a
/// copy, as the successor inherits it), the predecessor stops without closing the socket for it or removing its file,
/// and a connection made between the two waits in the backlog instead of being refused. A descriptor that is no
/// listening socket of the address's kind is refused (and closed), never served.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ApiListenerHandOverTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-handover-");

    private string SocketPath => Path.Combine(_directory.FullName, "forwarder.sock");

    [Fact]
    public async Task A_unix_socket_is_handed_over_with_its_file_and_a_connection_made_in_between_is_answered()
    {
        using var forwarder = new TestForwarder();
        ControlApiServer predecessor = await ControlApiServer.StartAsync(forwarder, ApiAddress.Unix(SocketPath), NullLogger.Instance);
        int copy = Copy(predecessor.ListenerFd);
        predecessor.HandOver();
        await predecessor.DisposeAsync();
        Assert.True(File.Exists(SocketPath), "the predecessor removed the socket's file it handed over");

        using var waiting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        waiting.Connect(new UnixDomainSocketEndPoint(SocketPath)); // nobody accepts now: the backlog holds it

        await using ControlApiServer successor = await ControlApiServer.StartAsync(forwarder, ApiAddress.Unix(SocketPath), NullLogger.Instance, inheritedListener: copy);
        Assert.Equal(200, Answer(waiting));
        using var client = new ApiClient(new ApiTarget(successor.Address, null));
        Assert.Equal(200, (await client.GetAsync("/status")).Status);
    }

    [Fact]
    public async Task A_tcp_listener_on_an_ephemeral_port_keeps_its_port()
    {
        using var forwarder = new TestForwarder();
        ControlApiServer predecessor = await ControlApiServer.StartAsync(forwarder, ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, 0)), NullLogger.Instance);
        int copy = Copy(predecessor.ListenerFd);
        ApiAddress address = predecessor.Address;
        predecessor.HandOver();
        await predecessor.DisposeAsync();

        await using ControlApiServer successor = await ControlApiServer.StartAsync(forwarder, ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, 0)), NullLogger.Instance, inheritedListener: copy);
        Assert.Equal(address, successor.Address);
        using var client = new ApiClient(new ApiTarget(successor.Address, null));
        Assert.Equal(200, (await client.GetAsync("/status")).Status);
    }

    public static TheoryData<string> NotAListener => ["a memfd", "a udp socket", "a tcp socket not listening", "a unix socket listening", "another port"];

    [Theory]
    [MemberData(nameof(NotAListener))]
    public async Task A_descriptor_that_is_not_the_address_s_listener_is_refused_and_closed(string kind)
    {
        using var forwarder = new TestForwarder();
        var address = ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, 0));
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        var fixedPort = ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)other.LocalEndPoint!).Port == 65535 ? 65534 : ((IPEndPoint)other.LocalEndPoint!).Port + 1));
        int fd = kind switch
        {
            "a memfd" => Posix.MemfdCreate("not-a-socket", 0),
            "a udp socket" => Copy(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)),
            "a tcp socket not listening" => Copy(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)),
            "a unix socket listening" => Copy(Listening(Path.Combine(_directory.FullName, "other.sock"))),
            _ => Copy((int)other.Handle),
        };
        Assert.True(fd >= 3);

        IOException refused = await Assert.ThrowsAsync<IOException>(() => ControlApiServer.StartAsync(forwarder, kind == "another port" ? fixedPort : address, NullLogger.Instance, inheritedListener: fd));

        Assert.Contains($"fd {fd}", refused.Message);
        Assert.Equal(-1, Posix.Fcntl(fd, 1 /* F_GETFD */, 0)); // closed: nothing of it is left to this process
    }

    private static Socket Listening(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }

    private static int Copy(Socket socket)
    {
        using (socket)
            return Copy((int)socket.Handle);
    }

    /// <summary>What the successor inherits: its own descriptor of the same socket.</summary>
    private static int Copy(int fd)
    {
        int copy = Posix.Fcntl(fd, Posix.F_DUPFD_CLOEXEC, 3);
        Assert.True(copy >= 3, $"fcntl(F_DUPFD_CLOEXEC) of {fd}");
        return copy;
    }

    private static int Answer(Socket connected)
    {
        connected.Send("GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8);
        connected.ReceiveTimeout = 10_000;
        var buffer = new byte[64];
        int read = connected.Receive(buffer);
        string line = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 ", line);
        return int.Parse(line.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
