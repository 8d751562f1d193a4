namespace Forwarder.DataPlane;

/// <summary>
/// A <c>quic</c> VIP's server id → backend table (Katran's <c>server_id_map</c>, per VIP): immutable, built by
/// the control plane beside the Maglev ring, read by the workers without locks. Open addressing with linear
/// probing over a power-of-two array at most half full; id 0 marks an empty slot (0 is never a server id).
/// An id may also be <see cref="Retired"/>: its backend was removed, so its packets are counted apart from unknown ids.
/// </summary>
public sealed class QuicServerIds
{
    /// <summary><see cref="Find"/>: no backend has or had this id.</summary>
    public const int Unknown = -1;

    /// <summary><see cref="Find"/>: a backend that was removed had this id.</summary>
    public const int Retired = -2;

    private readonly uint[] _ids;
    private readonly int[] _backends;
    private readonly int _mask;

    /// <param name="backends">Server id (1..<see cref="Packets.QuicHeader.MaxServerId"/>) → backend id, or <see cref="Retired"/>.</param>
    public QuicServerIds(IReadOnlyDictionary<uint, int> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        int size = 4;
        while (size < backends.Count * 2)
            size *= 2;
        _ids = new uint[size];
        _backends = new int[size];
        _mask = size - 1;
        foreach ((uint id, int backend) in backends)
        {
            ArgumentOutOfRangeException.ThrowIfZero(id);
            ArgumentOutOfRangeException.ThrowIfLessThan(backend, Retired);
            int slot = SlotOf(id);
            while (_ids[slot] != 0)
                slot = (slot + 1) & _mask;
            _ids[slot] = id;
            _backends[slot] = backend;
        }
        Entries = backends.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)).ToArray();
    }

    /// <summary>Every (server id, backend id or <see cref="Retired"/>), by server id.</summary>
    public IReadOnlyList<(uint ServerId, int Backend)> Entries { get; }

    /// <summary>The backend id of <paramref name="serverId"/>, <see cref="Retired"/> or <see cref="Unknown"/>. Allocates nothing.</summary>
    public int Find(uint serverId)
    {
        if (serverId == 0)
            return Unknown;
        uint[] ids = _ids;
        int slot = SlotOf(serverId);
        for (int probes = 0; probes < ids.Length; probes++)
        {
            uint id = ids[slot];
            if (id == serverId)
                return _backends[slot];
            if (id == 0)
                return Unknown;
            slot = (slot + 1) & _mask;
        }
        return Unknown;
    }

    /// <summary>Fibonacci hashing spreads consecutive ids (the usual assignment) over the table.</summary>
    private int SlotOf(uint id) => (int)((id * 2654435769u) >> 16) & _mask;
}
