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

    /// <summary>Stops the workers at a batch boundary and reads each queue's state.</summary>
    IReadOnlyList<QueueHandOver> StopForHandOver();

    /// <summary>Starts the stopped workers again where they were.</summary>
    void ResumeAfterRollBack();
}
