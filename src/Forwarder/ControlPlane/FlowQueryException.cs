namespace Forwarder.ControlPlane;

/// <summary>A flow query that names no VIP of the running configuration, or mixes IP versions; the message says what to fix.</summary>
public sealed class FlowQueryException(string message) : ArgumentException(message);
