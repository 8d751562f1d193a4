namespace Forwarder.Replay;

/// <summary>
/// What one backend of a VIP received during a replay, and (nat) its replies rewritten back to the VIP: <see cref="Port"/> is
/// a nat backend's own port, if it names one.
/// </summary>
public sealed record ReplayBackendSummary(string Address, ushort? Port, long Packets, long Bytes, long ReplyPackets = 0, long ReplyBytes = 0);
