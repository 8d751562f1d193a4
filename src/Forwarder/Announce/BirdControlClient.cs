using System.Net.Sockets;
using System.Text;

namespace Forwarder.Announce;

/// <summary>
/// BIRD's control socket: one connection per command (connect, read the greeting <c>0001 BIRD ... ready.</c>, send
/// the command, read its reply, close), bounded in time (<see cref="Timeout"/> for the whole exchange) and size
/// (<see cref="MaxReplyBytes"/>). Every failure — no socket, refused, hung or slow peer, garbage, a peer closing
/// mid-reply, a reply too large, an 8xxx/9xxx answer — comes back as a <see cref="BirdResult"/>, never as an exception.
/// </summary>
public sealed class BirdControlClient(string socketPath, TimeSpan timeout, int maxReplyBytes = BirdControlClient.DefaultMaxReplyBytes) : IBirdControl
{
    public const int DefaultMaxReplyBytes = 1 << 20;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public string SocketPath { get; } = socketPath;

    public TimeSpan Timeout { get; } = timeout;

    public int MaxReplyBytes { get; } = maxReplyBytes;

    public async Task<BirdResult> RunAsync(string command, CancellationToken cancel)
    {
        if (command.Length == 0 || command.Any(char.IsControl))
            return BirdResult.Failed(BirdErrorKind.Protocol, "a BIRD command is one line of text");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(Timeout);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), deadline.Token);
            var reader = new BirdReplyReader(socket, MaxReplyBytes);
            BirdReply greeting = await reader.ReadAsync(deadline.Token);
            if (greeting.Code != 1)
                return BirdResult.Failed(BirdErrorKind.Protocol, $"{SocketPath} greeted with {greeting.Code:D4} {greeting.Text}, not BIRD's 0001 ready");
            byte[] line = Encoding.UTF8.GetBytes(command + "\n");
            await socket.SendAsync(line, SocketFlags.None, deadline.Token);
            return BirdResult.Of(await reader.ReadAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return BirdResult.Failed(BirdErrorKind.Timeout, $"BIRD at {SocketPath} did not answer '{command}' within {Timeout.TotalMilliseconds:F0} ms");
        }
        catch (BirdProtocolException e)
        {
            return BirdResult.Failed(e.Kind, $"BIRD at {SocketPath}: {e.Message}");
        }
        catch (SocketException e)
        {
            return BirdResult.Failed(BirdErrorKind.Unreachable, $"cannot talk to BIRD at {SocketPath}: {e.Message}");
        }
        catch (IOException e)
        {
            return BirdResult.Failed(BirdErrorKind.Unreachable, $"cannot talk to BIRD at {SocketPath}: {e.Message}");
        }
    }
}
