namespace Forwarder.Metrics;

/// <summary>One label of a sample, e.g. <c>queue="0"</c> or <c>vip="10.0.0.1:80/tcp"</c>.</summary>
public readonly record struct MetricLabel(string Name, string Value);
