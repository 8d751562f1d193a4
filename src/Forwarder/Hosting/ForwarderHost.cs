using AfXdp;
using Forwarder.Announce;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.HostAddresses;
using Forwarder.Hosting.Privileges;
using Forwarder.Liveness;
using Microsoft.Extensions.Logging;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>
/// Brings the data path up and down on one interface. Up: resolve the interface, take its lock,
/// load the XDP program and fill its VIP map (and, when load-balancing, its map of the host's own addresses,
/// kept current by a <see cref="HostAddressWatcher"/>), create one socket per queue (libxdp), adopt it and register
/// it, attach the program (taking over one of ours left behind by a killed instance), start the workers.
/// Down, in reverse: detach first (VIP traffic falls back to the kernel), then stop the workers
/// and free the sockets, UMEMs and the lock. Any failure on the way up undoes what was done.
/// After a privileged predecessor handed set-up over (<see cref="InheritedSetup"/>), the lock, sockets, UMEMs
/// and program are taken over rather than made: nothing here then needs more than CAP_BPF and CAP_NET_ADMIN.
/// </summary>
public sealed partial class ForwarderHost : IDisposable
{
    private readonly ForwarderOptions _options;
    private readonly ILogger _log;
    private readonly InheritedSetup? _inherited;
    private readonly List<QueueWorker> _queues = [];
    private InterfaceLock? _lock;
    private RedirectProgram? _program;
    private HealthCoordinator? _health;
    private HostAddressWatcher? _hostAddresses;
    private Announcer? _announcer;
    private readonly List<FlowTable.ConnectionTable> _connectionTables = [];
    private LivenessDevice? _livenessDevice;
    private LivenessMonitor? _livenessMonitor;
    private FirstBatchWatch? _firstBatch;

    /// <summary>How long the deferred start (health checks, control API) waits for a first forwarded batch before it runs anyway.</summary>
    public static readonly TimeSpan DeferLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>How long start waits for BIRD to take a file without the VIPs an earlier instance left (see <see cref="Announcer.WithdrawLeftOverAsync"/>).</summary>
    private static readonly TimeSpan LeftOverTimeout = TimeSpan.FromSeconds(1);

    private ForwarderHost(ForwarderOptions options, ILogger log, InheritedSetup? inherited)
    {
        _options = options;
        _log = log;
        _inherited = inherited;
    }

    public NetworkInterface Interface { get; private set; } = null!;

    public IReadOnlyList<QueueWorker> Queues => _queues;

    /// <summary>The running configuration when load-balancing (<c>run --config</c>); null for plain L2 forwarding.</summary>
    public ForwarderRuntime? Runtime { get; private set; }

    /// <summary>Backend health checks of the running configuration; null for plain L2 forwarding.</summary>
    public HealthCoordinator? Health => _health;

    /// <summary>The forwarding snapshots the workers read when load-balancing; null for plain L2 forwarding.</summary>
    public SnapshotSource? Snapshots => Runtime?.Snapshots;

    /// <summary>Keeps the host's own addresses in the XDP program and the workers' view when load-balancing; null otherwise.</summary>
    public HostAddressWatcher? HostAddresses => _hostAddresses;

    /// <summary>Tells this node's BIRD what to announce, when the configuration has an <c>announce</c> section; null otherwise.</summary>
    public Announcer? Announcer => _announcer;

    /// <summary>The liveness device's drain and watchdog (<c>run --liveness-device</c>); null without one.</summary>
    public LivenessController? Liveness { get; private set; }

    public RedirectCounters ReadRedirectCounters() => _program?.ReadCounters() ?? RedirectCounters.Zero;

    /// <param name="inherited">What a privileged predecessor set up (see <see cref="ForwarderStartup"/>); null to set up everything here.</param>
    public static ForwarderHost Start(ForwarderOptions options, ILogger log, InheritedSetup? inherited = null)
    {
        if (inherited is not null && inherited.Queues.Count != options.Queues.Count)
            throw new InvalidOperationException($"{InheritedSetup.EnvironmentVariable} names {inherited.Queues.Count} socket(s) for {options.Queues.Count} queue(s)");
        var host = new ForwarderHost(options, log, inherited);
        try
        {
            host.BringUp();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private void BringUp()
    {
        if (_options.Config is { Announce: { } announcing } announced && !AwaitsHandOver) // a running predecessor's routes are no leftovers
        {
            if (LocalVipCheck.Check(announced.Vips, LocalVipCheck.LocalAddresses()) is { } localVip)
                throw new InvalidOperationException(localVip);
            Announcer.WithdrawLeftOverAsync(announcing, new BirdControlClient(announcing.BirdSocket, LeftOverTimeout), _log).GetAwaiter().GetResult();
        }
        Interface = NetworkInterface.Get(_options.Interface);
        QueueAssignment.CheckAgainstDevice(_options.Queues, Interface.Name, Interface.RxQueues);
        _lock = _inherited is null ? InterfaceLock.Acquire(Interface, "forwarder") : InterfaceLock.Adopt(Interface, _inherited.LockFd);
        if (_options.Liveness is { } liveness)
        {
            // Down until the workers run; made by the privileged predecessor when there was one.
            _livenessDevice = _inherited is { LivenessFd: >= 0 } handedOverDevice
                ? LivenessDevice.Adopt(handedOverDevice.LivenessFd, liveness.DeviceName)
                : LivenessDevice.Create(liveness.DeviceName);
            Liveness = new LivenessController(_livenessDevice, liveness, () => _queues.Sum(q => Volatile.Read(ref q.Counters.RxPackets)),
                LivenessMonitor.Clock(), _log);
        }

        _program = _inherited is { } handedOver
            ? RedirectProgram.Adopt(handedOver.ProgramFd, handedOver.MapFds)
            : RedirectProgram.Load(_options.BpfObjectPath);
        if (_options.Config is { } config)
        {
            Runtime = new ForwarderRuntime(config, Interface.Mac, _options.Queues.Count, _program);
            SnapshotSource snapshots = Runtime.Snapshots;
            _hostAddresses = HostAddressWatcher.Start(_program, addresses => snapshots.PublishHostAddresses(HostAddressSet.Of(addresses)), _log);
        }
        else
        {
            foreach (VipSpec vip in _options.Vips)
                _program.AddVip(vip);
        }
        StartupTimeline.Mark(StartupPhase.MapsFilled);

        for (int index = 0; index < _options.Queues.Count; index++)
        {
            QueueAssignment assignment = _options.Queues[index];
            int workerIndex = index;
            // Made through libxdp either way: by the privileged predecessor, or here when this process kept its capabilities.
            XskHandOver created = _inherited?.Queues[index] ?? QueueWorker.CreateSocket(assignment, _options, Interface.Name);
            QueueWorker queue = QueueWorker.Create(assignment, _options, Interface, created, (rings, kernel) => CreateLoop(rings, kernel, workerIndex));
            _queues.Add(queue);
            _program.RegisterSocket(assignment.Queue, queue.Socket);
            _log.SocketBound(Interface.Name, assignment.Queue, assignment.Core, queue.Socket.IsZeroCopy ? "zero-copy" : "copy");
        }

        StartupTimeline.Mark(StartupPhase.SocketsAdopted);
        AttachProgram();
        StartupTimeline.Mark(StartupPhase.ProgramAttached);

        if (AwaitsHandOver)
            PrepareForHandOver(); // threads pinned and code compiled now; they run once the predecessor's are stopped (TakeOverQueues)
        else
            StartWorkers();

        if (Runtime is { } runtime)
        {
            int ifindex = Interface.Index;
            var steering = new Forwarder.Health.ViaVip.VipProbeSteering(() => Forwarder.Health.ViaVip.VipProbeProgram.Attach(ifindex));
            _health = new HealthCoordinator(runtime, new Forwarder.Health.HealthMonitor(_log, probe: new Forwarder.Health.ProbeByKind(marks: steering)), _log, steering);
            if (_inherited is { IsUpgrade: true })
            {
                IReadOnlyDictionary<string, Forwarder.Health.HealthMark> marks = HandedOverHealth.Take(_log);
                _health.Restore(marks); // a backend down before the upgrade starts down
                HandedOverHealth.ApplyDown(runtime, marks); // and is out of its tables before the workers take over, not once the checks start
            }
            steering.Update(runtime.Config); // the via: vip probe filter is there by READY, beside the workers; the first round of probes waits (StartDeferred)
            if (runtime.Config.Announce is { } announce)
            {
                _announcer = new Announcer(runtime, announce, new BirdControlClient(announce.BirdSocket, BirdControlClient.DefaultTimeout), _log)
                {
                    HoldDownServed = AwaitsHandOver, // an upgrade: BIRD keeps what the predecessor announced
                };
                _announcer.Start();
            }
        }
        _log.CapabilitiesHeld(ProcessCapabilities.EffectiveOfAnyThread().ToString());
        _firstBatch = FirstBatchWatch.Start(() => _queues.Sum(q => Volatile.Read(ref q.Counters.TxPackets)), DeferLimit, StartDeferred);
    }

    /// <summary>
    /// What waits for the first forwarded batch (or <see cref="DeferLimit"/>): the health checks' first round. Until
    /// then every backend counts as healthy, as a backend new to the checks does, but one an upgrade's predecessor handed over
    /// down (<see cref="HandedOverHealth.ApplyDown"/>).
    /// </summary>
    private void StartDeferred(bool forwarded)
    {
        _log.StartupPhases(StartupTimeline.Format(), forwarded ? "" : $"; no frame forwarded within {DeferLimit.TotalMilliseconds:0} ms",
            (long)Environment.CpuUsage.TotalTime.TotalMilliseconds, System.Runtime.JitInfo.GetCompiledMethodCount(), (long)System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);
        try
        {
            _health?.Start();
        }
        catch (Exception e) // the checks could not start: forwarding goes on with every backend as it is
        {
            _log.DeferredStartFailed("health checks", e.Message);
        }
    }

    /// <summary>Waits (bounded) until what start-up deferred has started: the caller then starts the control API.</summary>
    public void WaitForDeferredStart() => _firstBatch?.WaitDone(DeferLimit + TimeSpan.FromSeconds(1));

    private void StartWorkers()
    {
        foreach (QueueWorker queue in _queues)
            queue.Start(Interface.Name);
        StartupTimeline.Mark(StartupPhase.WorkersStarted);
        if (Liveness is { } controller)
        {
            controller.Serving();
            _livenessMonitor = LivenessMonitor.Start(_queues, controller, _log);
        }
    }

    /// <summary>The worker loop of one queue: load balancing under a configuration, plain L2 forwarding otherwise.</summary>
    private IQueueLoop CreateLoop(QueueRings rings, SocketKernel kernel, int workerIndex)
    {
        if (Runtime?.Snapshots is not { } snapshots)
            return CreateWorker(rings, new L2Forward(_options.NextHopMac, Interface.Mac), kernel, workerIndex);
        FlowTable.ConnectionTable? connections = _options.FlowTable is { } shape ? new FlowTable.ConnectionTable(shape, TableMemory(shape, workerIndex)) : null;
        if (connections is not null)
            _connectionTables.Add(connections);
        WorkerOptions options = connections is null ? _options.Worker : _options.Worker with { IdleWork = new ConnectionTableUpkeep(connections) };
        return CreateWorker(rings, new LoadBalancer(snapshots, workerIndex, connections), kernel, workerIndex, options);
    }

    /// <summary>
    /// A worker running <paramref name="processor"/>, wrapped to transmit nothing under <see cref="ForwarderOptions.ReceiveOnly"/>,
    /// and outermost to copy frames into a running capture (<see cref="Capture"/>).
    /// </summary>
    private IQueueLoop CreateWorker<TProcessor>(QueueRings rings, TProcessor processor, SocketKernel kernel, int workerIndex, WorkerOptions? options = null)
        where TProcessor : struct, IBatchProcessor
    {
        if (_options.ReceiveOnly)
            return CreateCapturingWorker(rings, new ReceiveOnlyProcessor<TProcessor>(processor), kernel, workerIndex, options);
        return CreateCapturingWorker(rings, processor, kernel, workerIndex, options);
    }

    private Worker<CapturingProcessor<TProcessor>, SocketKernel> CreateCapturingWorker<TProcessor>(QueueRings rings, TProcessor processor, SocketKernel kernel, int workerIndex, WorkerOptions? options)
        where TProcessor : struct, IBatchProcessor =>
        new(rings, new CapturingProcessor<TProcessor>(processor, Capture, workerIndex), kernel, options ?? _options.Worker,
            AwaitsHandOver ? WorkerStart.AwaitHandOver : WorkerStart.Fresh);

    /// <summary>Where <c>forwarder capture</c> hands the workers a capture; none runs by default.</summary>
    public CaptureSwitch Capture { get; } = new();

    /// <summary>Each worker's connection table (empty when there is none), in queue order.</summary>
    public IReadOnlyList<FlowTable.ConnectionTable> ConnectionTables => _connectionTables;

    private void AttachProgram()
    {
        // A program of a killed instance, opened by the predecessor: its name can be read, and it replaced, without CAP_SYS_ADMIN.
        AttachedProgram? known = _inherited is { AttachedProgramFd: >= 0 } handedOver ? XdpProgram.Describe(handedOver.AttachedProgramFd) : null;
        try
        {
            AttachedProgram? existing = XdpProgram.QueryAttached(Interface.Index, known);
            if (AwaitsHandOver && existing is not null && existing.Id == XdpProgram.Describe(_program!.ProgramFd).Id)
            {
                _log.ProgramKept(Interface.Name); // replacing it by itself could only open a gap; it becomes ours at the take-over
                return;
            }
            AttachOrTakeOver(existing);
        }
        finally
        {
            if (known is not null)
                Forwarder.Interop.Posix.Close(known.Fd);
        }
    }

    private void AttachOrTakeOver(AttachedProgram? existing)
    {
        if (existing is null)
        {
            _program!.Attach(Interface.Index, _options.XdpMode, replacing: null);
            _log.ProgramAttached(Interface.Name, _options.XdpMode.ToString().ToLowerInvariant());
            return;
        }
        if (existing.Name != RedirectProgram.KernelName)
            throw new InvalidOperationException(StartupChecks.ForeignProgram(Interface.Name, existing));
        // Ours, left behind by an instance that was killed (it holds no lock): replace it in one step.
        _log.TakingOver(Interface.Name, existing.Id);
        try
        {
            _program!.Attach(Interface.Index, _options.XdpMode, replacing: existing);
        }
        catch (XdpException)
        {
            // Attached in the other mode: atomic replacement is impossible, so clear it and attach afresh.
            foreach (XdpMode mode in Enum.GetValues<XdpMode>())
            {
                try { XdpProgram.DetachAny(Interface.Index, mode); } catch (XdpException) { }
            }
            _program!.Attach(Interface.Index, _options.XdpMode, replacing: null);
        }
        _log.ProgramAttached(Interface.Name, _options.XdpMode.ToString().ToLowerInvariant());
    }

    /// <summary>
    /// Ends the watchdog's rounds: called before the workers stop, so that a worker stopped on purpose, with frames
    /// still in its ring, is not taken for a stalled one.
    /// </summary>
    public void StopWatchdog() => _livenessMonitor?.Dispose();

    /// <summary>A worker that stopped on its own (its failure), or null while all run.</summary>
    public Exception? WorkerFailure => _queues.Select(q => q.Failure).FirstOrDefault(f => f is not null);

    public void Dispose()
    {
        _firstBatch?.Dispose(); // its deferred start has run or never will
        if (AwaitsHandOver)
        {
            _handOverGate.Close();
            return; // an upgrade's successor that never took over: everything here is its running predecessor's too, to leave as it is
        }
        _livenessMonitor?.Dispose(); // before the sockets close: it reads their rings
        _livenessDevice?.Dispose(); // the kernel deletes the device: BIRD withdraws before forwarding stops
        try
        {
            _announcer?.DisposeAsync().AsTask().Wait(BirdControlClient.DefaultTimeout * 2);
        }
        catch (Exception e)
        {
            _log.TeardownFailed("announcing", e.Message);
        }
        try
        {
            _health?.DisposeAsync().AsTask().Wait(Forwarder.Health.HealthMonitor.StopTimeout * 2);
        }
        catch (Exception e)
        {
            _log.TeardownFailed("health checks", e.Message);
        }
        _hostAddresses?.Dispose();
        try
        {
            _program?.Dispose(); // detaches: VIP traffic goes back to the kernel at once
        }
        catch (Exception e)
        {
            _log.TeardownFailed("detach", e.Message);
        }
        foreach (QueueWorker queue in _queues)
            queue.Dispose();
        _queues.Clear();
        _lock?.Dispose();
    }
}
