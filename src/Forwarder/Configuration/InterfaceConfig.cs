using AfXdp;

namespace Forwarder.Configuration;

/// <summary>The NIC the forwarder serves, which of its RX queues and on which CPUs.</summary>
public sealed record InterfaceConfig
{
    /// <summary>Longest Linux interface name (IFNAMSIZ - 1).</summary>
    public const int MaxNameLength = 15;

    /// <summary>Highest queue or CPU number accepted, as on the command line.</summary>
    public const int MaxQueueOrCore = 1023;

    public required string Name { get; init; }

    /// <summary>RX queues served, one worker each.</summary>
    public EquatableArray<int> Queues { get; init; } = [0];

    /// <summary>The CPU each queue's worker is pinned to, in the order of <see cref="Queues"/>; the loader defaults it to the queue numbers.</summary>
    public EquatableArray<int> Cores { get; init; } = [0];

    public XdpMode XdpMode { get; init; } = XdpMode.Native;

    /// <summary>MTU for encapsulated frames on this interface; <c>null</c> = the file's global <c>mtu</c>.</summary>
    public int? Mtu { get; init; }
}
