using System.Net;

namespace Forwarder.Announce;

/// <summary>Whether one VIP may be announced, and why (shown by <c>forwarder status</c>).</summary>
public sealed record VipDecision(string Vip, IPAddress Address, bool Allowed, string Reason, string Digest);
