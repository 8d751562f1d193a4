namespace Forwarder.HostAddresses;

/// <summary>How a buffer of netlink messages ended.</summary>
public enum NetlinkReadEnd
{
    /// <summary>Every message was read; more may follow (a dump in progress, or notifications).</summary>
    More,
    /// <summary>NLMSG_DONE: the dump is complete.</summary>
    Done,
    /// <summary>NLMSG_ERROR with a non-zero error: the request was refused.</summary>
    Error,
    /// <summary>A header or attribute runs past the buffer or is shorter than its own header.</summary>
    Malformed,
}
