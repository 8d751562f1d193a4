using System.Net;

namespace Forwarder.Configuration;

/// <summary>Settings shared by every VIP in <c>gue</c> mode. The outer header takes the backend's address family.</summary>
public sealed record GueConfig
{
    /// <summary>Katran's GUE destination port.</summary>
    public const ushort DefaultPort = 6080;

    public static readonly GueConfig Default = new();

    /// <summary>UDP destination port of the outer header.</summary>
    public ushort Port { get; init; } = DefaultPort;

    /// <summary>Outer source address towards IPv4 backends; required when a <c>gue</c> VIP has one.</summary>
    public IPAddress? SourceV4 { get; init; }

    /// <summary>Outer source address towards IPv6 backends; required when a <c>gue</c> VIP has one.</summary>
    public IPAddress? SourceV6 { get; init; }
}
