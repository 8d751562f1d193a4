namespace Forwarder.ControlPlane;

/// <summary>
/// How a purge went: the entries removed over all tables, the tables (queues) asked, and the queues whose
/// worker had not finished within the wait (their purge goes on; their count is what they had done).
/// </summary>
public sealed record PurgeOutcome(long Purged, int Queues, IReadOnlyList<int> Unfinished);
