using AfXdp;
using Forwarder.Metrics;

namespace Forwarder.Hosting;

/// <summary>Reads a socket's kernel counters: 0 and the counters, or a positive errno (<see cref="XskSocket.TryGetStatistics"/>).</summary>
public delegate int XdpStatisticsSource(out XdpStatistics statistics);

/// <summary>
/// One queue's AF_XDP socket counters as the readers see them (<c>/metrics</c>, the stats lines, the FINAL line).
/// Each reading asks the kernel (getsockopt on the reader's thread; the worker does nothing for it). A failed
/// reading is counted and answered with the last good values, so a failure is never fatal and the counters
/// never go back. Safe for several readers at once.
/// </summary>
public sealed class SocketStatisticsReader(int queue, XdpStatisticsSource source)
{
    private readonly Lock _gate = new();
    private XdpStatistics _last;
    private long _failures;

    public XskSocketReading Read()
    {
        int errno = source(out XdpStatistics read);
        lock (_gate)
        {
            if (errno == 0)
                _last = Max(_last, read);
            else
                _failures++;
            return new XskSocketReading(queue, _last.RxDropped, _last.RxInvalidDescriptors, _last.TxInvalidDescriptors,
                _last.RxRingFull, _last.RxFillRingEmptyDescriptors, _last.TxRingEmptyDescriptors, _failures);
        }
    }

    /// <summary>Two readers racing may finish out of order: the larger value of each counter is the later one.</summary>
    private static XdpStatistics Max(XdpStatistics a, XdpStatistics b) => new()
    {
        RxDropped = Math.Max(a.RxDropped, b.RxDropped),
        RxInvalidDescriptors = Math.Max(a.RxInvalidDescriptors, b.RxInvalidDescriptors),
        TxInvalidDescriptors = Math.Max(a.TxInvalidDescriptors, b.TxInvalidDescriptors),
        RxRingFull = Math.Max(a.RxRingFull, b.RxRingFull),
        RxFillRingEmptyDescriptors = Math.Max(a.RxFillRingEmptyDescriptors, b.RxFillRingEmptyDescriptors),
        TxRingEmptyDescriptors = Math.Max(a.TxRingEmptyDescriptors, b.TxRingEmptyDescriptors),
    };
}
