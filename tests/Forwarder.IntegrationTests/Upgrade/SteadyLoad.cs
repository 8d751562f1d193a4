using System.Net;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// Numbered datagrams sent in runs at a steady rate from a background task until stopped (at most 200 runs), and the
/// check that the sink received every one of every run exactly once.
/// </summary>
public sealed class SteadyLoad : IDisposable
{
    private readonly List<uint> _runs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;

    public SteadyLoad(UdpSender client, IPEndPoint destination, int packetsPerSecond, int runLength = 5_000)
    {
        RunLength = runLength;
        _sending = Task.Run(() =>
        {
            for (int i = 0; i < 200 && !_stop.IsCancellationRequested; i++)
            {
                uint run = DatagramPayload.NewRunId();
                lock (_runs)
                    _runs.Add(run);
                client.Send(destination, run, runLength, packetsPerSecond);
            }
        });
    }

    public int RunLength { get; }

    /// <summary>Stops after the current run; returns the runs sent.</summary>
    public uint[] Stop()
    {
        _stop.Cancel();
        if (!_sending.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException("the sender did not finish its run");
        lock (_runs)
            return [.. _runs];
    }

    /// <summary>Stops, then waits (bounded) for every datagram at the sink; returns how many were offered, or throws naming what is missing.</summary>
    public long StopAndCheck(UdpReceiver sink, Func<string> describe)
    {
        uint[] sent = Stop();
        foreach (uint run in sent)
        {
            if (!sink.WaitFor(run, RunLength, TimeSpan.FromSeconds(10)))
                throw new Xunit.Sdk.XunitException($"run {run}: the sink got {sink.CountOf(run)} of {RunLength}; first missing: {string.Join(',', sink.Missing(run, RunLength))}\n{describe()}");
        }
        if (sink.Duplicates != 0)
            throw new Xunit.Sdk.XunitException($"{sink.Duplicates} datagrams arrived twice\n{describe()}");
        return (long)sent.Length * RunLength;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sending.Wait(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}
