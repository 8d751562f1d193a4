namespace Forwarder.DataPlane;

/// <summary>The answers the forwarder gave itself, summed over workers.</summary>
public sealed record LoadBalancerEventTotals(long EchoReplies, long TooBigAnswered, long NatReplies);
