namespace Forwarder.Api;

/// <summary>
/// The body of an accepted change: the new table version, and the warnings of the configuration now
/// running. <see cref="Changed"/> is given by reloads only: false when the file matched the running configuration.
/// </summary>
public sealed record ChangeReply(long Version, IReadOnlyList<string> Warnings, bool? Changed = null);
