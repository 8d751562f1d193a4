namespace Forwarder.DataPlane;

/// <summary>
/// A VIP's forwarded packets and bytes, summed over workers, with its backends': VIP <see cref="Index"/> of the
/// snapshot counted. The control plane names the VIP and its backends from the configuration it built them from.
/// </summary>
public sealed record VipCounts(int Index, long Packets, long Bytes, IReadOnlyList<BackendCounts> Backends);
