using System.Diagnostics;
using System.Net;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A client opening new HTTP connections one after another from its own thread, each from the next
/// local port, recording when each started and which backend answered (or why it failed). Bounded by
/// <see cref="MaxAttempts"/>; stops on <see cref="Dispose"/>.
/// </summary>
public sealed class ConnectionLoop : IDisposable
{
    public const int MaxAttempts = 20_000;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    private readonly List<Attempt> _attempts = [];
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ConnectionLoop(NetworkNamespace client, IPAddress clientAddress, IPEndPoint server, int firstPort)
    {
        _thread = new Thread(() =>
        {
            for (int i = 0; i < MaxAttempts && !_stopping; i++)
            {
                var local = new IPEndPoint(clientAddress, firstPort + i % 20_000);
                TimeSpan started = Elapsed;
                string? body = null, error = null;
                try
                {
                    body = HttpExchange.Get(client, local, server, AttemptTimeout).Trim();
                }
                catch (IOException e)
                {
                    error = e.Message;
                }
                lock (_attempts)
                    _attempts.Add(new Attempt(started, Elapsed, body, error));
            }
        }) { IsBackground = true, Name = "connection-loop" };
        _thread.Start();
    }

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>The loop's clock, shared with the test's marks.</summary>
    public static TimeSpan Elapsed => Clock.Elapsed;

    public IReadOnlyList<Attempt> Attempts
    {
        get { lock (_attempts) return [.. _attempts]; }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>One connection: when it started and ended, the backend that answered, or the error.</summary>
    public sealed record Attempt(TimeSpan Started, TimeSpan Finished, string? Backend, string? Error)
    {
        public bool Succeeded => Backend is not null;
    }
}
