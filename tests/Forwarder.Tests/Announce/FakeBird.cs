using System.Runtime.Versioning;
using System.Net.Sockets;
using System.Text;

namespace Forwarder.Tests.Announce;

/// <summary>
/// Something listening on a Unix socket in a temporary directory where BIRD's control socket would be: each connection
/// gets <see cref="Greeting"/>, then for each command line the bytes <see cref="Answer"/> gives (null: hang without
/// answering; the connection is closed after the bytes when <see cref="CloseAfterAnswer"/>). Commands are recorded.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeBird : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("fakebird-").FullName;
    private readonly List<string> _commands = [];

    public FakeBird()
    {
        SocketPath = Path.Combine(_directory, "bird.ctl");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _ = Task.Run(AcceptAsync);
    }

    public string SocketPath { get; }

    public string Greeting { get; set; } = "0001 BIRD 2.0.12 ready.\n";

    public Func<string, byte[]?> Answer { get; set; } = command => Encoding.ASCII.GetBytes(command == "configure"
        ? "0002-Reading configuration from /etc/bird/bird.conf\n0003 Reconfigured\n"
        : "1002-forwarder_vips4 Static master4 up 23:40:11.123\n forwarder_vips6 Static master6 up 23:40:11.123\n0000 \n");

    public bool CloseAfterAnswer { get; set; }

    public IReadOnlyList<string> Commands
    {
        get { lock (_commands) return _commands.ToArray(); }
    }

    public static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(Encoding.ASCII.GetBytes(Greeting), SocketFlags.None, _stop.Token);
                var line = new List<byte>();
                var buffer = new byte[256];
                while (!_stop.IsCancellationRequested)
                {
                    int read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                        return;
                    foreach (byte b in buffer.Take(read).ToArray())
                    {
                        if (b != '\n')
                        {
                            line.Add(b);
                            continue;
                        }
                        string command = Encoding.ASCII.GetString(line.ToArray());
                        line.Clear();
                        lock (_commands)
                            _commands.Add(command);
                        if (Answer(command) is not { } answer)
                        {
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                            return;
                        }
                        await client.SendAsync(answer, SocketFlags.None, _stop.Token);
                        if (CloseAfterAnswer)
                            return;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the fake stops.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
        _stop.Dispose();
    }
}
