namespace Forwarder.Api;

/// <summary>A request names a VIP or backend that is not configured: answered 404, the message naming what is.</summary>
public sealed class UnknownTargetException(string message) : KeyNotFoundException(message);
