namespace Forwarder.Api;

/// <summary>
/// One backend in <c>GET /status</c>: its name as the API and CLI take it (<c>10.0.0.2</c>, <c>10.0.0.2:8080</c>
/// for a nat backend with a port), address and port, configured weight, health (<c>up</c> or <c>down</c>)
/// and what it was sent, and (nat) its replies rewritten back to the VIP.
/// </summary>
public sealed record BackendStatus(string Backend, string Address, int? Port, uint Weight, string Health, long Packets, long Bytes,
    long ReplyPackets = 0, long ReplyBytes = 0);
