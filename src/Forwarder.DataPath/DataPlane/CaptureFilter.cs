using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// Which frames a capture keeps, decided by the worker per frame while a capture runs. Every criterion given must
/// hold. The VIP criterion reads the frame as received (its flow's destination, as the parser reports it: the VIP
/// of a client's packet or of the flow an ICMP error quotes); the backend criterion matches the frame as received
/// from the backend (a <c>nat</c> reply's source) or as transmitted to it (the outer destination of ipip and gue, the
/// rewritten destination of nat; dsr-l2 keeps the VIP as destination, so it is found by its VIP only); the
/// drop criterion keeps only frames dropped for that reason. Immutable.
/// </summary>
public sealed class CaptureFilter
{
    /// <summary>The largest number of bytes kept of one frame: a UMEM chunk holds no more.</summary>
    public const int MaxSnapLength = 4096;

    /// <summary>The VIP's address, or null for any.</summary>
    public WireAddress? VipAddress { get; init; }

    public IpVersion VipVersion { get; init; }

    /// <summary>The VIP's port (host order); 0 for any.</summary>
    public ushort VipPort { get; init; }

    /// <summary>The VIP's protocol (6 TCP, 17 UDP); 0 for any.</summary>
    public byte VipProtocol { get; init; }

    /// <summary>The backend's address, or null for any.</summary>
    public WireAddress? Backend { get; init; }

    public IpVersion BackendVersion { get; init; }

    /// <summary>Keep only frames dropped for this reason; null keeps frames whatever became of them.</summary>
    public DropReason? Drop { get; init; }

    /// <summary>Bytes kept of each frame (1 to <see cref="MaxSnapLength"/>); the original length is kept too.</summary>
    public int SnapLength { get; init; } = MaxSnapLength;

    /// <summary>Received frames one worker keeps at most (the whole capture keeps this many in total; each worker stops at it).</summary>
    public long Count { get; init; } = long.MaxValue;

    /// <summary>Whether the frame as received must be parsed to decide.</summary>
    internal bool NeedsParse => VipAddress is not null || Backend is not null;

    /// <summary>Whether the frame as received passes the VIP criterion.</summary>
    internal bool MatchesVip(DropReason parsed, in ParsedPacket packet)
    {
        if (VipAddress is not { } vip)
            return true;
        return parsed == DropReason.None && packet.Version == VipVersion && packet.Destination == vip
            && (VipPort == 0 || packet.DestinationPort == VipPort)
            && (VipProtocol == 0 || packet.Protocol == VipProtocol);
    }

    /// <summary>Whether the frame as received comes from the backend (a nat reply).</summary>
    internal bool FromBackend(DropReason parsed, in ParsedPacket packet) =>
        Backend is { } backend && parsed == DropReason.None && packet.Version == BackendVersion && packet.Source == backend;

    /// <summary>Whether a frame as transmitted goes to the backend: its (outer) IP destination.</summary>
    internal unsafe bool ToBackend(byte* frame, uint length)
    {
        if (Backend is not { } backend)
            return true;
        return CaptureFrames.Destination(frame, length, out WireAddress destination) == BackendVersion && destination == backend;
    }
}
