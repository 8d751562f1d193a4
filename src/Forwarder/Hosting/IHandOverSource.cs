using Forwarder.Hosting.Privileges;

namespace Forwarder.Hosting;

/// <summary>What an upgrade needs of the running forwarder (<see cref="ForwarderHost"/>); small so that tests can stand in for it.</summary>
public interface IHandOverSource
{
    /// <summary>Everything the successor inherits, as this process's own descriptors.</summary>
    InheritedSetup DescribeForSuccessor();

    /// <summary>The running configuration as YAML (API changes included); null without one.</summary>
    string? RunningConfigYaml { get; }

    /// <summary>The health checks' marks (<see cref="Forwarder.Health.HealthMark.Format"/>); null without checks.</summary>
    string? HealthMarks => null;

    /// <summary>The UMEM's frame size (the free frames travel as a bitmap of frames).</summary>
    uint FrameSize => 4096;

    /// <summary>The cores the workers are pinned to (an upgrade's successor starts off them).</summary>
    IReadOnlyList<int> WorkerCores => [];

    /// <summary>
    /// Readies the workers for a stop at once (none sleeps in poll()); they go on forwarding. Bounded. Answers a reading
    /// of their state taken while they run: inexact, only to rehearse the hand-over's code with its real sizes.
    /// </summary>
    IReadOnlyList<QueueHandOver> PrepareForStop() => [];

    /// <summary>The totals the successor goes on from (<see cref="CarriedCounters"/>), read once the workers stopped.</summary>
    CarriedCounters ReadCarriedCounters() => CarriedCounters.None;

    /// <summary>Stops the workers at a batch boundary and reads each queue's state; marks <see cref="HandOverStep.WorkersStopped"/> on <paramref name="timeline"/>.</summary>
    IReadOnlyList<QueueHandOver> StopForHandOver(HandOverTimeline timeline);

    /// <summary>Starts the stopped workers again where they were.</summary>
    void ResumeAfterRollBack();
}
