using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// One VIP as the data path sees it: how to hash, where the Maglev slots point, how to rewrite. It holds no
/// configuration; the control plane keeps the configuration each entry was built from beside the snapshot.
/// </summary>
public sealed class VipEntry
{
    /// <summary>This VIP's slot in the per-VIP counters of the snapshot.</summary>
    public required int Index { get; init; }

    public required WireAddress Address { get; init; }

    public required IpVersion Version { get; init; }

    public required ForwardingMode Mode { get; init; }

    public required FlowHashOptions HashOptions { get; init; }

    /// <summary>The Maglev table: slot → index into <see cref="Backends"/>; null when no backend can take traffic.</summary>
    public required int[]? Slots
    {
        get => _slots;
        init
        {
            _slots = value;
            HashSeed = FlowHash.SeedFor(RingSize);
        }
    }

    private readonly int[]? _slots;

    public int RingSize => Slots?.Length ?? 0;

    /// <summary>
    /// The flow hash seed of this VIP's ring: 512 × ring size, as a Katran built for that ring seeds it. Kept, not
    /// computed, so that classifying a packet does not wait on the load of the ring's length.
    /// </summary>
    public uint HashSeed { get; private init; }

    /// <summary>By backend id (the position in the backends sorted by address, as the table numbers them).</summary>
    public required BackendEntry[] Backends { get; init; }

    /// <summary>
    /// (backend address, version, protocol 0, <see cref="BackendEntry.NatPort"/> as it holds it) → index into
    /// <see cref="Backends"/>: where a remembered connection's backend is now. The port tells apart a nat VIP's
    /// backends on one address; every other backend has port 0.
    /// </summary>
    public required VipKeyTable BackendLookup { get; init; }

    /// <summary>Flows of this VIP never touch the connection table, neither looked up nor remembered (Katran's F_LRU_BYPASS).</summary>
    public bool FlowTableBypass { get; init; }
    /// <summary>The sources the VIP serves; null = every source. Packets from others are dropped as <see cref="DropReason.SourceNotAllowed"/>.</summary>
    public SourceAllowList? AllowedSources { get; init; }
    /// <summary>A <c>quic</c> VIP's server id → backend table (<see cref="QuicRouting"/>); null for every other VIP.</summary>
    public QuicServerIds? Quic { get; init; }

    /// <summary>The Maglev table's digest, "none" without a table.</summary>
    public required string Digest { get; init; }
}
