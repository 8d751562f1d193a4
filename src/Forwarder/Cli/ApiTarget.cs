using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>A running forwarder's API as a command reaches it: its address and, when it has one, its token.</summary>
public sealed record ApiTarget(ApiAddress Address, ApiToken? Token = null);
