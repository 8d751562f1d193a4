using System.Net.NetworkInformation;

namespace Forwarder.Configuration;

/// <summary>
/// A validated configuration file: the interface served, where frames go next and every VIP with its
/// backends. Built only by <see cref="ForwarderConfigLoader"/> (or by hand in code); never mutated.
/// </summary>
public sealed record ForwarderConfig
{
    public const int DefaultMtu = 1500;

    /// <summary>Smallest MTU accepted: the IPv6 minimum, so every family can be encapsulated.</summary>
    public const int MinMtu = 1280;

    /// <summary>Largest MTU accepted: common jumbo frames.</summary>
    public const int MaxMtu = 9216;

    public required InterfaceConfig Interface { get; init; }

    /// <summary>Destination MAC of every frame sent out (the router), except <c>dsr-l2</c> frames, which go to the backend's MAC.</summary>
    public required PhysicalAddress RouterMac { get; init; }

    /// <summary>
    /// Global MTU for encapsulated frames: a packet that no longer fits once encapsulated is answered with
    /// ICMP "fragmentation needed" / "packet too big". <see cref="InterfaceConfig.Mtu"/> overrides it.
    /// </summary>
    public int Mtu { get; init; } = DefaultMtu;

    public GueConfig Gue { get; init; } = GueConfig.Default;

    public EquatableArray<VipConfig> Vips { get; init; } = [];

    /// <summary>Bounds the configuration must stay within (the tables' memory).</summary>
    public LimitsConfig Limits { get; init; } = LimitsConfig.Default;

    /// <summary>What this node's BIRD is told to announce; null (no <c>announce</c> section): nothing is announced.</summary>
    public AnnounceConfig? Announce { get; init; }

    /// <summary>The MTU that applies on <see cref="Interface"/>.</summary>
    public int InterfaceMtu => Interface.Mtu ?? Mtu;
}
