namespace Forwarder.Replay;

/// <summary>Frames the load balancer answered or turned around itself rather than forwarding to a backend.</summary>
public sealed record ReplayAnswers(long EchoReplies, long TooBigAnswered, long NatReplies);
