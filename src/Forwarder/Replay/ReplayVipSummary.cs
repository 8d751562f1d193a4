namespace Forwarder.Replay;

/// <summary>What one VIP forwarded during a replay, with its backends (in the order of its Maglev table's backend ids).</summary>
public sealed record ReplayVipSummary(string Address, ushort Port, string Protocol, string Mode, long Packets, long Bytes, IReadOnlyList<ReplayBackendSummary> Backends);
