namespace Forwarder.Replay;

/// <summary>What one backend of a VIP received during a replay.</summary>
public sealed record ReplayBackendSummary(string Address, long Packets, long Bytes);
