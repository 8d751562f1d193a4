using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// A request to forget every connection a <see cref="ConnectionTable"/> remembers on one backend: its address
/// and version, and its nat port (<see cref="AnyPort"/> = every port of that address). Posted by the control
/// plane (<see cref="TableRequests.TryPost"/>), carried out by the table's worker a bounded slice at a time
/// (<see cref="ConnectionTable.ServeRequests"/>); <see cref="Done"/> says when, and then <see cref="Removed"/>
/// is final. The target is immutable; the progress fields are the worker's.
/// </summary>
public sealed class PurgeRequest(WireAddress backend, IpVersion version, int port = PurgeRequest.AnyPort)
{
    /// <summary><see cref="Port"/> of a request for every port of the address.</summary>
    public const int AnyPort = -1;

    private volatile bool _done;
    private long _removed;

    public WireAddress Backend { get; } = backend;

    public IpVersion Version { get; } = version;

    /// <summary>The backend's port as the table holds it (0 = none), or <see cref="AnyPort"/>.</summary>
    public int Port { get; } = port;

    /// <summary>Entries removed: found by the scan, or moved to the Maglev choice by a packet before the scan reached them. Final once <see cref="Done"/>.</summary>
    public long Removed => Volatile.Read(ref _removed);

    /// <summary>True once the worker has scanned the whole table (a release: <see cref="Removed"/> read after it is final).</summary>
    public bool Done => _done;

    /// <summary>True once a table's mailbox took the request (<see cref="TableRequests.TryPost"/>).</summary>
    public bool Posted { get; internal set; }

    /// <summary>The next bucket the worker scans (the worker's).</summary>
    internal uint Cursor;

    /// <summary>Whether the worker has begun: from then on packets remembered on the backend take the Maglev choice.</summary>
    internal bool Started;

    internal bool Matches(in WireAddress backend, IpVersion version, ushort port) =>
        backend == Backend && version == Version && (Port == AnyPort || Port == port);

    /// <summary>The worker's: adds to <see cref="Removed"/> (a plain increment published by the write of <see cref="Done"/>; readers see at worst a stale value before).</summary>
    internal void Count(long removed) => Volatile.Write(ref _removed, _removed + removed);

    internal void Finish() => _done = true;
}
