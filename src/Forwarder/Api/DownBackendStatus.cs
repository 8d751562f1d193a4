namespace Forwarder.Api;

/// <summary>
/// A backend marked down by health checking: out of its VIP's table until it is up again. <see cref="Backend"/>
/// names it as the API and CLI take it (<c>10.0.0.2</c>, or <c>10.0.0.2:8080</c> for a nat backend with a port).
/// </summary>
public sealed record DownBackendStatus(string Vip, string Backend, string Address, int? Port);
