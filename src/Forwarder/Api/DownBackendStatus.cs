namespace Forwarder.Api;

/// <summary>A backend marked down by health checking: out of its VIP's table until it is up again.</summary>
public sealed record DownBackendStatus(string Vip, string Backend);
