namespace Forwarder.Configuration;

/// <summary>Which transport protocol a VIP serves.</summary>
public enum VipProtocol
{
    /// <summary>Both TCP and UDP.</summary>
    Any,
    Tcp,
    Udp,
}
