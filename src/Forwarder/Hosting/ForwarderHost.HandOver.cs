using Forwarder.Hosting.Privileges;

namespace Forwarder.Hosting;

/// <summary>
/// A host's part of an upgrade. The predecessor names what it holds (<see cref="DescribeForSuccessor"/>), stops its
/// workers at a batch boundary and reads their state (<see cref="StopForHandOver"/>), or resumes them when the
/// successor failed (<see cref="ResumeAfterRollBack"/>). The successor, brought up with every queue awaiting the
/// hand-over, takes that state and starts its workers (<see cref="TakeOverQueues"/>).
/// </summary>
public sealed partial class ForwarderHost : IHandOverSource
{
    /// <inheritdoc/>
    public string? RunningConfigYaml => Runtime is { } runtime ? Forwarder.Configuration.ForwarderConfigWriter.Write(runtime.Config) : null;

    /// <inheritdoc/>
    public string? HealthMarks => _health?.Marks();

    /// <summary>True in an upgrade's successor until <see cref="TakeOverQueues"/>: its workers wait for the predecessor's state.</summary>
    private bool AwaitsHandOver => _inherited is { IsUpgrade: true } && !_tookOver;

    private bool _tookOver;

    private readonly List<SharedTableMemory> _tableMemories = [];

    /// <summary>A worker's connection table memory: shared, so that an upgrade hands it on; the predecessor's in an upgrade's successor.</summary>
    private SharedTableMemory TableMemory(FlowTable.ConnectionTableOptions shape, int workerIndex)
    {
        SharedTableMemory memory = _inherited is { IsUpgrade: true } upgrade && workerIndex < upgrade.TableFds.Count
            ? SharedTableMemory.Adopt(shape, upgrade.TableFds[workerIndex])
            : SharedTableMemory.Create(shape, workerIndex);
        _tableMemories.Add(memory);
        return memory;
    }

    /// <summary>Opens for an upgrade's successor's workers, waiting on their cores, once they took the hand-over.</summary>
    private readonly HandOverGate _handOverGate = new();


    /// <summary>An upgrade's successor, before it says ready: worker threads started, pinned and waiting, their code compiled.</summary>
    private void PrepareForHandOver()
    {
        foreach (QueueWorker queue in _queues)
            queue.StartAwaitingHandOver(Interface.Name, _handOverGate);
        PrepareHandOverCode();
    }

    /// <summary>Compiles this host's part of the hand-over ahead: a method compiled in the pause costs milliseconds.</summary>
    private static void PrepareHandOverCode()
    {
        foreach (string name in new[] { nameof(StopForHandOver), nameof(TakeOverQueues), nameof(CompleteTakeOver), nameof(ReadCarriedCounters), nameof(CarryCounters) })
            System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(typeof(ForwarderHost).GetMethod(name)!.MethodHandle);
    }

    /// <summary>
    /// What this host holds, as its own (close-on-exec) descriptors, in the shape a successor inherits it: the lock, each
    /// queue's socket and frames, the program (also as the attached one, so the successor recognises it) and its maps,
    /// the liveness device.
    /// </summary>
    public InheritedSetup DescribeForSuccessor()
    {
        if (_program is null || _lock is null)
            throw new InvalidOperationException("the data path is not up");
        var queues = _queues.Select(q => new AfXdp.XskHandOver(q.Socket.Fd, q.Umem.MemoryFd, q.Umem.UsesHugePages)).ToArray();
        var maps = Steering.RedirectProgram.MapNames.ToDictionary(name => name, _program.MapFd);
        return new InheritedSetup(_lock.Fd, queues, _program.ProgramFd, maps, _program.ProgramFd, _livenessDevice?.Fd ?? -1)
        {
            TableFds = _tableMemories.Select(m => m.Fd).ToArray(),
        };
    }

    /// <inheritdoc/>
    public uint FrameSize => _options.Umem.FrameSize;

    /// <inheritdoc/>
    public IReadOnlyList<int> WorkerCores => _queues.Select(q => q.Assignment.Core).Distinct().ToArray();

    /// <summary>
    /// Compiles the hand-over's code and runs its reading once, then tells every worker not to sleep in poll() from now on, and waits (at most the longest idle sleep and a little)
    /// until each has run two loops since: none is then asleep, and a stop is seen within a batch.
    /// </summary>
    public IReadOnlyList<QueueHandOver> PrepareForStop()
    {
        PrepareHandOverCode();
        foreach (QueueWorker queue in _queues)
            queue.PrepareHandOver();
        IReadOnlyList<QueueHandOver> rehearsal = ReadHandOver(); // its code run once (a racy copy of a running worker's stack, discarded)
        long[] before = _queues.Select(q => q.ReadProgress().Progress).ToArray();
        foreach (QueueWorker queue in _queues)
            queue.StayAwake();
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency * (_options.Worker.IdleSleepMs + 20) / 1000;
        for (int i = 0; i < _queues.Count; i++)
        {
            while (_queues[i].ReadProgress().Progress < before[i] + 2 && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                Thread.Sleep(0);
        }
        return rehearsal;
    }

    private QueueHandOver[] ReadHandOver()
    {
        var state = new QueueHandOver[_queues.Count];
        for (int i = 0; i < state.Length; i++)
            state[i] = _queues[i].ReadHandOver();
        return state;
    }

    /// <inheritdoc/>
    public CarriedCounters ReadCarriedCounters() => new(
        Runtime?.Totals() ?? [],
        Runtime?.EventTotals() ?? new DataPlane.LoadBalancerEventTotals(0, 0, 0),
        new HostDataPathCounters(this).ReadConnectionTables());

    /// <summary>Connection-table counters a predecessor counted, by queue index; added to this process's own readings.</summary>
    internal Metrics.ConnectionTableReading?[] CarriedTables { get; private set; } = [];

    /// <summary>An upgrade's successor: goes on counting from the predecessor's totals (VIPs and backends it does not serve were dropped).</summary>
    public void CarryCounters(CarriedCounters counters)
    {
        Runtime?.Carry(counters.Vips, counters.Events);
        var tables = new Metrics.ConnectionTableReading?[_queues.Count];
        foreach (Metrics.ConnectionTableReading table in counters.Tables)
        {
            int index = _queues.FindIndex(q => q.Assignment.Queue == table.Queue);
            if (index >= 0)
                tables[index] = table;
        }
        CarriedTables = tables;
    }

    /// <summary>Stops every worker at a batch boundary (the watchdog first: stopped on purpose is no stall) and reads what they hand on.</summary>
    public IReadOnlyList<QueueHandOver> StopForHandOver(HandOverTimeline timeline)
    {
        StopWatchdog();
        _livenessMonitor = null;
        foreach (QueueWorker queue in _queues)
            queue.RequestStop(); // all at once: the pause is the slowest worker's, not their sum
        foreach (QueueWorker queue in _queues)
        {
            if (!queue.WaitStopped(TimeSpan.FromSeconds(5)))
                queue.StopWorker(); // a worker that does not come to its boundary: wait for its thread, as a normal stop does
        }
        timeline.Mark(HandOverStep.WorkersStopped);
        return ReadHandOver();
    }

    /// <summary>Starts the stopped workers again where they were, and the watchdog: the successor never touched a ring.</summary>
    public void ResumeAfterRollBack()
    {
        foreach (QueueWorker queue in _queues)
            queue.Resume(Interface.Name);
        if (Liveness is { } controller)
            _livenessMonitor = LivenessMonitor.Start(_queues, controller, _log);
    }

    /// <summary>Takes each queue's state from the stopped predecessor and starts the workers; <see cref="CompleteTakeOver"/> follows.</summary>
    /// <param name="timeline">Marked when the queues are taken and when the gate opens.</param>
    public void TakeOverQueues(IReadOnlyList<QueueHandOver> state, HandOverTimeline? timeline = null)
    {
        if (!AwaitsHandOver)
            throw new InvalidOperationException("this forwarder's workers run already: only an upgrade's successor takes a hand-over");
        if (state.Count != _queues.Count)
            throw new ArgumentException($"the predecessor handed over {state.Count} queue(s), this forwarder serves {_queues.Count}");
        for (int i = 0; i < _queues.Count; i++)
            _queues[i].TakeOver(state[i]);
        foreach (FlowTable.ConnectionTable table in _connectionTables)
            table.Recount(); // the predecessor wrote to it until it stopped
        _tookOver = true;
        timeline?.Mark(HandOverStep.QueuesTaken);
        _handOverGate.Open();
        timeline?.Mark(HandOverStep.GateOpened);
    }

    /// <summary>Once the workers run (<see cref="TakeOverQueues"/>): takes the program's attachment, the lock's owner note and the liveness device's watchdog.</summary>
    public void CompleteTakeOver()
    {
        _program!.TakeAttachment(Interface.Index, _options.XdpMode); // a normal stop detaches it from now on
        try
        {
            _lock!.ClaimOwnerNote("forwarder");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the note that names the owner to a second instance; the lock itself is held.
        }
        if (Liveness is { } controller)
        {
            controller.Serving();
            _livenessMonitor = LivenessMonitor.Start(_queues, controller, _log);
        }
    }
}
