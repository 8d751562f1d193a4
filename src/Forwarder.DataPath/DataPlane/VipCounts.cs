namespace Forwarder.DataPlane;

/// <summary>
/// A VIP's forwarded packets and bytes, summed over workers, with its backends' (and the packets it refused by source): VIP <see cref="Index"/> of the
/// snapshot counted. The control plane names the VIP and its backends from the configuration it built them from.
/// </summary>
public sealed record VipCounts(int Index, long Packets, long Bytes, IReadOnlyList<BackendCounts> Backends)
{
    /// <summary>Packets dropped because their source is not among the VIP's allowed sources.</summary>
    public long SourceNotAllowed { get; init; }
}
