namespace Forwarder.Announce;

/// <summary>Why talking to BIRD failed; the names are the <c>kind</c> label of <c>forwarder_announce_errors_total</c>.</summary>
public enum BirdErrorKind
{
    /// <summary>No BIRD at the socket: missing, refused, no permission, or it closed the connection.</summary>
    Unreachable,

    /// <summary>BIRD did not answer in time (connected but hung, or answering too slowly).</summary>
    Timeout,

    /// <summary>The answer is not BIRD's line protocol, or larger than allowed.</summary>
    Protocol,

    /// <summary>BIRD answered with an error (8xxx, 9xxx), e.g. a configuration it could not read.</summary>
    Refused,

    /// <summary>The include file could not be written.</summary>
    Write,
}
