namespace Forwarder.Packets;

/// <summary>The IP version of a parsed packet; the value is the version number of the header.</summary>
public enum IpVersion : byte
{
    None = 0,
    V4 = 4,
    V6 = 6,
}
