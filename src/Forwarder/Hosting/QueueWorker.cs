using AfXdp;
using Forwarder.DataPlane;
using Forwarder.Metrics;

namespace Forwarder.Hosting;

/// <summary>
/// One queue: its UMEM, its AF_XDP socket, its worker and the dedicated thread, pinned to its core,
/// that runs the worker. Disposing stops the thread first, then frees the socket and the UMEM.
/// </summary>
public sealed unsafe partial class QueueWorker : IDisposable
{
    private readonly Umem _umem;
    private readonly XskSocket _socket;
    private readonly IQueueLoop _worker;
    private readonly SocketStatisticsReader _statistics;
    private Thread? _thread;

    private QueueWorker(QueueAssignment assignment, Umem umem, XskSocket socket, IQueueLoop worker)
    {
        Assignment = assignment;
        _umem = umem;
        _socket = socket;
        _worker = worker;
        _statistics = new SocketStatisticsReader(assignment.Queue, socket.TryGetStatistics);
    }

    /// <summary>
    /// The queue's socket and UMEM, made through libxdp (CAP_NET_RAW, and CAP_IPC_LOCK or a memlock limit that
    /// holds the frames): by the privileged stage before it execs (<see cref="PrivilegedSetUp"/>), or by
    /// a process that keeps its capabilities just before <see cref="Create"/> adopts them.
    /// </summary>
    public static XskHandOver CreateSocket(QueueAssignment assignment, ForwarderOptions options, string interfaceName) =>
        XskHandOver.Create(interfaceName, (uint)assignment.Queue, options.Umem, options.Socket, $"forwarder-umem-q{assignment.Queue}");

    /// <param name="created">The queue's socket and UMEM from <see cref="CreateSocket"/>, here or in the process that exec'd this one: adopted, needing no capability.</param>
    /// <param name="createLoop">Builds the worker loop over the queue's rings with the chosen processing stage.</param>
    public static QueueWorker Create(QueueAssignment assignment, ForwarderOptions options, NetworkInterface iface, XskHandOver created,
        Func<QueueRings, SocketKernel, IQueueLoop> createLoop)
    {
        Umem umem = Umem.Adopt(options.Umem, created);
        XskSocket? socket = null;
        try
        {
            socket = XskSocket.Adopt(iface.Name, (uint)assignment.Queue, umem, options.Socket);
            var rings = new QueueRings(umem.Fill, umem.Completion, socket.Rx, socket.Tx, umem.Area, options.Umem.FrameSize, options.Umem.FrameCount);
            IQueueLoop worker = createLoop(rings, new SocketKernel(socket));
            return new QueueWorker(assignment, umem, socket, worker);
        }
        catch
        {
            socket?.Dispose();
            umem.Dispose();
            throw;
        }
    }

    public QueueAssignment Assignment { get; }

    public XskSocket Socket => _socket;

    /// <summary>The queue's UMEM (its frames' memfd is what an upgrade hands on).</summary>
    public Umem Umem => _umem;

    public WorkerCounters Counters => _worker.Counters;

    /// <summary>A reading of this queue's worker counters at this instant.</summary>
    public QueueStats ReadStats() => QueueStats.Read(Assignment.Queue, Assignment.Core, Counters);

    /// <summary>The kernel's counters of this queue's socket, read now on the caller's thread (<see cref="SocketStatisticsReader"/>).</summary>
    public XskSocketReading ReadSocketStatistics() => _statistics.Read();

    /// <summary>
    /// For the watchdog: the worker's loop count (batches and empty polls) and whether its RX ring holds frames it
    /// has not released, read from the ring's shared indices without disturbing the worker. Only while the socket is open.
    /// </summary>
    public Liveness.WorkerProgress ReadProgress() =>
        new(Volatile.Read(ref Counters.Batches) + Volatile.Read(ref Counters.EmptyPolls), _socket.Rx.Unreleased != 0, Assignment.Queue);

    /// <summary>Set when the worker thread could not run (e.g. its core could not be pinned).</summary>
    public Exception? Failure { get; private set; }

    public void Start(string interfaceName)
    {
        _running = true;
        _thread = new Thread(RunPinned)
        {
            Name = $"xdp {interfaceName} q{Assignment.Queue}",
            IsBackground = true,
        };
        _thread.Start();
    }

    private void RunPinned()
    {
        try
        {
            CpuAffinity.PinCurrentThread(Assignment.Core);
            _worker.Run();
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>Stops the worker and waits for its thread; the socket stays open.</summary>
    public void StopWorker()
    {
        _worker.Stop();
        _thread?.Join(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        StopWorker();
        _socket.Dispose();
        _umem.Dispose();
    }
}
