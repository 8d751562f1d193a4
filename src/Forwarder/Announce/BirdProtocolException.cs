namespace Forwarder.Announce;

/// <summary>The peer on BIRD's socket broke the line protocol (bad line, too large, closed mid-reply); caught inside <see cref="BirdControlClient"/>.</summary>
internal sealed class BirdProtocolException(BirdErrorKind kind, string message) : Exception(message)
{
    public BirdErrorKind Kind { get; } = kind;
}
