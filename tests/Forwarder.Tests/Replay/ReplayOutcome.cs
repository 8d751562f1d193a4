using System.Text.Json;

namespace Forwarder.Tests.Replay;

/// <summary>What one <c>forwarder replay</c> printed and returned.</summary>
internal sealed record ReplayOutcome(int ExitCode, string Output, string Errors)
{
    /// <summary>The JSON summary: the last line of the output.</summary>
    public JsonElement Json => JsonDocument.Parse(Output.TrimEnd().Split('\n')[^1]).RootElement;
}
