namespace Forwarder.Announce;

/// <summary>What one command on BIRD's control socket gave: BIRD's reply, or why there is none (never an exception).</summary>
public sealed record BirdResult(BirdReply? Reply, BirdErrorKind? ErrorKind, string? Error)
{
    public bool Succeeded => ErrorKind is null;

    public static BirdResult Of(BirdReply reply) =>
        reply.IsError ? new BirdResult(reply, BirdErrorKind.Refused, $"BIRD answered {reply.Code:D4} {reply.Text}") : new BirdResult(reply, null, null);

    public static BirdResult Failed(BirdErrorKind kind, string error) => new(null, kind, error);
}
