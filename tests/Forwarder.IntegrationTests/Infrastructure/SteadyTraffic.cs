using System.Diagnostics;
using System.Net;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A steady stream of test datagrams from a background thread: every millisecond or so a short run of
/// <see cref="DatagramsPerRun"/> datagrams under a run id of its own, whose send time is kept. A receiver's counts
/// per run then tell when a path started or stopped carrying the stream (to about a millisecond), e.g. the first
/// datagram forwarded after a restart. Bounded: it stops by itself after <see cref="MaxDuration"/>.
/// </summary>
public sealed class SteadyTraffic : IDisposable
{
    public const int DatagramsPerRun = 4;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(120);

    private readonly UdpSender _sender;
    private readonly IPEndPoint _destination;
    private readonly List<(uint Run, TimeSpan SentAt)> _runs = [];
    private readonly Thread _thread;
    private volatile bool _stopping;

    private SteadyTraffic(UdpSender sender, IPEndPoint destination)
    {
        _sender = sender;
        _destination = destination;
        _thread = new Thread(Send) { IsBackground = true, Name = "steady traffic" };
    }

    /// <summary>The clock every send time is read on; starts with the stream.</summary>
    public Stopwatch Clock { get; } = new();

    public static SteadyTraffic Start(UdpSender sender, IPEndPoint destination)
    {
        var traffic = new SteadyTraffic(sender, destination);
        traffic.Clock.Start();
        traffic._thread.Start();
        return traffic;
    }

    private void Send()
    {
        while (!_stopping && Clock.Elapsed < MaxDuration)
        {
            uint run = DatagramPayload.NewRunId();
            _sender.Send(_destination, run, DatagramsPerRun, packetsPerSecond: 1_000_000);
            TimeSpan at = Clock.Elapsed; // after the send: a gap measured against it is never shorter than the real one
            lock (_runs)
                _runs.Add((run, at));
            Thread.Sleep(1);
        }
    }

    /// <summary>The runs sent in [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    public IReadOnlyList<(uint Run, TimeSpan SentAt)> RunsBetween(TimeSpan from, TimeSpan to)
    {
        lock (_runs)
            return _runs.Where(r => r.SentAt >= from && r.SentAt < to).ToArray();
    }

    /// <summary>The send time of the first run at or after <paramref name="from"/> that <paramref name="receiver"/> got any of; null if none (yet).</summary>
    public TimeSpan? FirstReceivedSince(TimeSpan from, UdpReceiver receiver) =>
        RunsBetween(from, TimeSpan.MaxValue).Where(r => receiver.CountOf(r.Run) > 0).Select(r => (TimeSpan?)r.SentAt).FirstOrDefault();

    /// <summary>Datagrams of the runs sent in [<paramref name="from"/>, <paramref name="to"/>) that <paramref name="receiver"/> got.</summary>
    public int ReceivedBetween(TimeSpan from, TimeSpan to, UdpReceiver receiver) =>
        RunsBetween(from, to).Sum(r => receiver.CountOf(r.Run));

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
