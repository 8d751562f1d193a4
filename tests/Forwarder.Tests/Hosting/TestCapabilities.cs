using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Hosting;

/// <summary>Capability sets the privilege tests start from.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class TestCapabilities
{
    /// <summary>Everything up to CAP_CHECKPOINT_RESTORE (40), as root holds it.</summary>
    public static readonly CapabilitySet Root = new(0x000001fffeffffffUL);

    /// <summary>A thread with <paramref name="effective"/> as its effective and permitted sets and <paramref name="bounding"/> (default: the same) as its bounding set.</summary>
    public static ProcessCapabilities Thread(CapabilitySet effective, CapabilitySet? bounding = null) =>
        new(CapabilitySet.None, effective, effective, bounding ?? effective, CapabilitySet.None);
}
