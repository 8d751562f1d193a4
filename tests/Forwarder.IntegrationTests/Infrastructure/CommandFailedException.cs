namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>A command exited with a non-zero code or did not finish in time.</summary>
public sealed class CommandFailedException(string message) : Exception(message)
{
    public static CommandFailedException From(CommandResult result) => new(result.ToString());
}
