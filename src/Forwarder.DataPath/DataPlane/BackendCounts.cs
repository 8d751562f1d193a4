namespace Forwarder.DataPlane;

/// <summary>
/// One backend's forwarded packets and bytes, and (nat) its replies rewritten back to the VIP, summed over
/// workers. <see cref="Backend"/> is its position in <see cref="VipEntry.Backends"/> (its backend id).
/// </summary>
public sealed record BackendCounts(int Backend, long Packets, long Bytes, long ReplyPackets, long ReplyBytes);
