namespace Forwarder.Replay;

/// <summary>The options of one <c>forwarder replay</c>: configuration, input and output files, the forwarder's own MAC and the batch size.</summary>
public sealed record ReplayRequest(string Config, string Input, string Output, string OwnMac = ReplayRequest.DefaultOwnMac, int BatchSize = ReplayRunner.DefaultBatchSize, bool Json = false)
{
    /// <summary>The source MAC replayed frames are sent with unless <c>--own-mac</c> says otherwise.</summary>
    public const string DefaultOwnMac = "02:00:00:00:00:02";
}
