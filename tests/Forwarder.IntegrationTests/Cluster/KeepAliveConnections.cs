using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// Long-lived HTTP/1.1 keep-alive connections from a client namespace to a VIP. Each records the backend
/// that answered each request (nginx answers its name), its largest gap between answers, and the error
/// that broke it, if any. <see cref="RequestEach"/> sends one request on every connection in turn;
/// <see cref="StartLoops"/> gives every connection a thread of its own sending one request per interval.
/// Every read and wait is bounded; Dispose closes the sockets and stops the threads.
/// </summary>
public sealed class KeepAliveConnections : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    private readonly Connection[] _connections;
    private readonly List<Thread> _threads = [];
    private volatile bool _stopping;

    private KeepAliveConnections(Connection[] connections) => _connections = connections;

    /// <summary>Opens COUNT connections from CLIENT to SERVER and makes one request on each.</summary>
    public static KeepAliveConnections Open(NetworkNamespace client, IPEndPoint server, int count)
    {
        Socket[] sockets = client.RunInside(() => Enumerable.Range(0, count)
            .Select(_ => new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)).ToArray());
        var connections = new KeepAliveConnections(sockets.Select(s => new Connection(s, server)).ToArray());
        try
        {
            foreach (Connection connection in connections._connections)
                connection.Connect();
            connections.RequestEach();
            return connections;
        }
        catch
        {
            connections.Dispose();
            throw;
        }
    }

    public IReadOnlyList<Connection> All => _connections;

    public IEnumerable<Connection> Broken => _connections.Where(c => c.Error is not null);

    /// <summary>One request on every unbroken connection in turn.</summary>
    public void RequestEach()
    {
        foreach (Connection connection in _connections)
            connection.Request();
    }

    /// <summary>Every connection sends one request each INTERVAL from a thread of its own, until Dispose or <see cref="StopLoops"/>.</summary>
    public void StartLoops(TimeSpan interval)
    {
        foreach (Connection connection in _connections)
        {
            var thread = new Thread(() =>
            {
                // Bounded: at most an hour of requests even if nobody stops it.
                for (int i = 0; i < 3600_000 / Math.Max(1, (int)interval.TotalMilliseconds) && !_stopping && connection.Error is null; i++)
                {
                    connection.Request();
                    Thread.Sleep(interval);
                }
            }) { IsBackground = true, Name = "keep-alive-client" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    public void StopLoops()
    {
        _stopping = true;
        foreach (Thread thread in _threads)
            thread.Join(AnswerTimeout + TimeSpan.FromSeconds(1));
        _threads.Clear();
    }

    /// <summary>Broken connections, the largest gaps and the backends seen, for messages.</summary>
    public string Describe() =>
        $"{_connections.Length} connections, {Broken.Count()} broken; largest gap {LargestGap.TotalMilliseconds:F0} ms; " +
        $"answered by {string.Join(", ", _connections.GroupBy(c => c.FirstBackend).Select(g => $"{g.Key ?? "none"} {g.Count()}"))}\n" +
        string.Join('\n', Broken.Take(10).Select(c => $"  {c.Local}: {c.Error}"));

    public TimeSpan LargestGap => _connections.Length == 0 ? TimeSpan.Zero : _connections.Max(c => c.LargestGap);

    public void Dispose()
    {
        StopLoops();
        foreach (Connection connection in _connections)
            connection.Dispose();
    }

    /// <summary>One keep-alive connection and what its answers said.</summary>
    public sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly IPEndPoint _server;
        private readonly byte[] _request;
        private readonly byte[] _buffer = new byte[4096];
        private readonly List<string> _backends = [];
        private TimeSpan _lastAnswer;

        internal Connection(Socket socket, IPEndPoint server)
        {
            _socket = socket;
            _server = server;
            _request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {server}\r\n\r\n");
        }

        public EndPoint? Local { get; private set; }
        public string? Error { get; private set; }
        public int Answers { get; private set; }
        public TimeSpan LargestGap { get; private set; }

        /// <summary>The backends that answered, in order, without repeats (one entry when the connection kept its backend).</summary>
        public IReadOnlyList<string> Backends
        {
            get { lock (_backends) return [.. _backends]; }
        }

        public string? FirstBackend => Backends.FirstOrDefault();

        internal void Connect()
        {
            try
            {
                _socket.SendTimeout = _socket.ReceiveTimeout = (int)AnswerTimeout.TotalMilliseconds;
                IAsyncResult pending = _socket.BeginConnect(_server, null, null);
                if (!pending.AsyncWaitHandle.WaitOne(ConnectTimeout))
                    throw new SocketException((int)SocketError.TimedOut);
                _socket.EndConnect(pending);
                Local = _socket.LocalEndPoint;
                _lastAnswer = Clock.Elapsed;
            }
            catch (SocketException e)
            {
                Error = $"connect: {e.Message}";
            }
        }

        /// <summary>One request and its answer; a failure breaks the connection for good.</summary>
        public void Request()
        {
            if (Error is not null)
                return;
            try
            {
                _socket.Send(_request);
                string backend = ReadAnswer();
                TimeSpan now = Clock.Elapsed;
                if (now - _lastAnswer > LargestGap)
                    LargestGap = now - _lastAnswer;
                _lastAnswer = now;
                Answers++;
                lock (_backends)
                {
                    if (_backends.Count == 0 || _backends[^1] != backend)
                        _backends.Add(backend);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                Error = $"after {Answers} answers: {e.Message}";
            }
        }

        // The answer: headers, then Content-Length bytes of body (nginx's "bN\n").
        private string ReadAnswer()
        {
            var text = new StringBuilder();
            int headerEnd = -1, length = -1;
            while (true)
            {
                int read = _socket.Receive(_buffer);
                if (read == 0)
                    throw new IOException($"closed by the server after '{text}'");
                text.Append(Encoding.ASCII.GetString(_buffer, 0, read));
                string received = text.ToString();
                if (headerEnd < 0 && (headerEnd = received.IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    if (!received.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal))
                        throw new IOException($"not a 200 answer: '{received}'");
                    string? header = received[..headerEnd].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    length = header is null ? throw new IOException($"no Content-Length in '{received}'") : int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                if (headerEnd >= 0 && received.Length >= headerEnd + 4 + length)
                    return received.Substring(headerEnd + 4, length).Trim();
                if (text.Length > 64 * 1024)
                    throw new IOException("an answer over 64 KiB");
            }
        }

        public void Dispose()
        {
            try
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }
            _socket.Dispose();
        }
    }
}
