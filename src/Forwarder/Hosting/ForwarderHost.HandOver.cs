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

    /// <summary>An upgrade's successor, about to say ready: its waiting workers keep their cores from now on.</summary>
    public void ArmHandOver() => _handOverGate.Arm();

    /// <summary>An upgrade's successor, before it says ready: worker threads started, pinned and waiting, their code compiled.</summary>
    private void PrepareForHandOver()
    {
        foreach (QueueWorker queue in _queues)
            queue.StartAwaitingHandOver(Interface.Name, _handOverGate);
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

    /// <summary>Stops every worker at a batch boundary (the watchdog first: stopped on purpose is no stall) and reads what they hand on.</summary>
    public IReadOnlyList<QueueHandOver> StopForHandOver()
    {
        StopWatchdog();
        _livenessMonitor = null;
        foreach (QueueWorker queue in _queues)
            queue.RequestStop(); // all at once: the pause is the slowest worker's, not their sum
        foreach (QueueWorker queue in _queues)
            queue.StopWorker();
        return _queues.Select(q => q.ReadHandOver()).ToArray();
    }

    /// <summary>Starts the stopped workers again where they were, and the watchdog: the successor never touched a ring.</summary>
    public void ResumeAfterRollBack()
    {
        foreach (QueueWorker queue in _queues)
            queue.Resume(Interface.Name);
        if (Liveness is { } controller)
            _livenessMonitor = LivenessMonitor.Start(_queues, controller, _log);
    }

    /// <summary>Takes each queue's state from the stopped predecessor and starts the workers (and the liveness device's watchdog).</summary>
    public void TakeOverQueues(IReadOnlyList<QueueHandOver> state)
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
        _handOverGate.Open();
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
