namespace Forwarder.Liveness;

/// <summary>What a <see cref="LivenessController"/> switches: the liveness device, or a fake in tests.</summary>
public interface ILivenessSwitch
{
    string Name { get; }

    /// <summary>Sets the device administratively up or down; throws <see cref="InvalidOperationException"/> when the kernel refuses.</summary>
    void Set(bool up);
}
