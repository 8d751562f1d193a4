using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// The node's liveness device (up or down and why) and what it announces, as <c>GET /status</c> gives them, for
/// <c>forwarder stats</c> to show beside the rates. Both null for a forwarder without them (or one whose
/// <c>/status</c> could not be read: the rates are shown all the same).
/// </summary>
internal sealed record StatsNodeState(LivenessStatus? Liveness, AnnounceStatus? Announce)
{
    public static readonly StatsNodeState None = new(null, null);

    public static async Task<StatsNodeState> ReadAsync(ApiClient client, CancellationToken cancel)
    {
        ApiResponse response = await client.GetAsync("/status", cancel);
        if (!response.IsSuccess || response.TryRead<StatusReply>(s => s.Vips is not null) is not { } status)
            return None;
        return new StatsNodeState(status.Liveness, status.Announce);
    }

    /// <summary>The lines <c>forwarder status</c> prints for them: the liveness device, then announcing.</summary>
    public IEnumerable<string> Lines()
    {
        if (Liveness is { } liveness)
            yield return StatusText.Liveness(liveness);
        if (Announce is { } announce)
            yield return StatusText.AnnounceLine(announce);
    }
}
