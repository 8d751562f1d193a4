namespace TrafficGen.Frames;

/// <summary>The transport header of the generated frames.</summary>
public enum L4Protocol
{
    Udp,

    /// <summary>A TCP segment with only SYN set and no options or payload.</summary>
    TcpSyn,
}
