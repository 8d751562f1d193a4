namespace Forwarder.Cli;

/// <summary>The forwarder answered, but not with its metrics; the message is the API's.</summary>
public sealed class StatsUnavailableException(string message) : Exception(message);
