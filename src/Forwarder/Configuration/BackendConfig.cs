using System.Net;
using System.Net.NetworkInformation;
using Forwarder.Maglev;

namespace Forwarder.Configuration;

/// <summary>One backend (a "real") of a VIP.</summary>
public sealed record BackendConfig
{
    public const uint DefaultWeight = 1;

    /// <summary>The largest weight, the Maglev builder's limit.</summary>
    public const uint MaxWeight = MaglevEndpoint.MaxWeight;

    /// <summary>The backend's address; it also decides the backend's place in the Maglev table.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Relative share of the VIP's flows; 0 keeps the backend configured but sends it nothing.</summary>
    public uint Weight { get; init; } = DefaultWeight;

    /// <summary>The backend's MAC on the local segment: required under <c>dsr-l2</c>, refused otherwise.</summary>
    public PhysicalAddress? Mac { get; init; }

    /// <summary>Under <c>nat</c>, the port packets are rewritten to; <c>null</c> keeps the VIP's destination port.</summary>
    public ushort? Port { get; init; }

    /// <summary>
    /// Under a <c>quic</c> VIP, the server id the backend writes into the QUIC connection ids it issues
    /// (1..2147483647, unique within the VIP); packets carrying it reach this backend.
    /// </summary>
    public uint? ServerId { get; init; }

    /// <summary>What names this backend within its VIP: its address and port.</summary>
    public BackendId Id => new(Address, Port);
}
