namespace Forwarder.Api;

/// <summary>One backend in <c>GET /status</c>: configured weight, health (<c>up</c> or <c>down</c>) and what its address was sent.</summary>
public sealed record BackendStatus(string Address, int? Port, uint Weight, string Health, long Packets, long Bytes);
