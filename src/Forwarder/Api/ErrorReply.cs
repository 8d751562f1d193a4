namespace Forwarder.Api;

/// <summary>The body of every error answer: <c>{"errors": [...]}</c>, with the table version kept when a change was refused.</summary>
public sealed record ErrorReply(IReadOnlyList<string> Errors, long? Version = null);
