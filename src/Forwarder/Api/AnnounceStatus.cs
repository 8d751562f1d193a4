using Forwarder.Announce;

namespace Forwarder.Api;

/// <summary>
/// The <c>announce</c> part of <c>GET /status</c>: the state (off, announcing, withdrawn, unconfirmed — see
/// <see cref="AnnounceState"/>), whether BIRD took the current file, the last error, the VIPs offered and why each is
/// or is not, BIRD's protocols, and errors by kind.
/// </summary>
public sealed record AnnounceStatus(string State, bool BirdConfirmed, string? LastError, string BirdSocket, string IncludeFile,
    IReadOnlyList<AnnouncedVipStatus> Vips, IReadOnlyList<BirdProtocolStatus> Protocols, IReadOnlyDictionary<string, long> Errors)
{
    public static AnnounceStatus Of(AnnounceReading reading) => new(
        reading.State.ToString().ToLowerInvariant(),
        reading.BirdConfirmed,
        reading.LastError,
        reading.BirdSocket,
        reading.IncludeFile,
        reading.Vips.Select(v => new AnnouncedVipStatus(v.Vip, reading.IsAnnounced(v), v.Reason)).ToArray(),
        reading.Protocols.Select(p => new BirdProtocolStatus(p.Name, p.Kind, p.Up)).ToArray(),
        reading.Errors.ToDictionary(e => e.Key.ToString().ToLowerInvariant(), e => e.Value));
}

/// <summary>One VIP in <see cref="AnnounceStatus"/>: whether it is announced now and why (or why not).</summary>
public sealed record AnnouncedVipStatus(string Vip, bool Announced, string Reason);

/// <summary>One of BIRD's protocols in <see cref="AnnounceStatus"/>.</summary>
public sealed record BirdProtocolStatus(string Name, string Kind, bool Up);
