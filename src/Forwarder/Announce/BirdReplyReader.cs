using System.Net.Sockets;
using System.Text;

namespace Forwarder.Announce;

/// <summary>
/// Reads BIRD replies from a connected socket: lines of a 4-digit code then <c>-</c> (more follows) or a space (the
/// last line); a line starting with a space continues the previous code; a line starting with <c>+</c> is a spontaneous
/// printout and is skipped. At most <see cref="MaxBytes"/> bytes are read in all, so a peer can never make it grow without bound.
/// </summary>
internal sealed class BirdReplyReader(Socket socket, int maxBytes)
{
    private readonly byte[] _buffer = new byte[4096];
    private readonly List<byte> _line = [];
    private int _start;
    private int _end;
    private long _total;

    public int MaxBytes { get; } = maxBytes;

    public async Task<BirdReply> ReadAsync(CancellationToken cancel)
    {
        var lines = new List<BirdReplyLine>();
        int? lastCode = null;
        while (true)
        {
            string text = await ReadLineAsync(cancel);
            if (text.StartsWith('+'))
                continue;
            if (text.StartsWith(' '))
            {
                if (lastCode is not { } code)
                    throw new BirdProtocolException(BirdErrorKind.Protocol, $"a continuation line before any code: {Excerpt(text)}");
                lines.Add(new BirdReplyLine(code, text[1..]));
                continue;
            }
            if (text.Length < 5 || !text[..4].All(char.IsAsciiDigit) || text[4] is not ('-' or ' '))
                throw new BirdProtocolException(BirdErrorKind.Protocol, $"not a BIRD reply line: {Excerpt(text)}");
            int lineCode = int.Parse(text.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
            lines.Add(new BirdReplyLine(lineCode, text[5..]));
            lastCode = lineCode;
            if (text[4] == ' ')
                return new BirdReply(lines);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancel)
    {
        _line.Clear();
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _line.AddRange(_buffer.AsSpan(_start, newline - _start).ToArray());
                _start = newline + 1;
                return Encoding.UTF8.GetString(_line.ToArray()).TrimEnd('\r');
            }
            _line.AddRange(_buffer.AsSpan(_start, _end - _start).ToArray());
            _start = _end = 0;
            int read = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancel);
            if (read == 0)
                throw new BirdProtocolException(BirdErrorKind.Unreachable, "BIRD closed the connection before the end of its reply");
            _total += read;
            if (_total > MaxBytes)
                throw new BirdProtocolException(BirdErrorKind.Protocol, $"the reply is larger than {MaxBytes} bytes");
            _end = read;
        }
    }

    private static string Excerpt(string text)
    {
        string shown = new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length <= 60 ? $"'{shown}'" : $"'{shown[..60]}...'";
    }
}
