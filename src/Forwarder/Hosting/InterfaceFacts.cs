using AfXdp;

namespace Forwarder.Hosting;

/// <summary>What the start-up checks need to know about the interface to serve.</summary>
/// <param name="RxQueues">RX queues the driver reports; 0 when it does not say.</param>
/// <param name="Attached">The XDP program attached to it now, or null.</param>
public sealed record InterfaceFacts(string Name, int Mtu, int RxQueues, AttachedProgram? Attached);
