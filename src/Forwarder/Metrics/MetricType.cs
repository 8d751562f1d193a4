namespace Forwarder.Metrics;

/// <summary>The two kinds of metric the forwarder exposes: a counter only ever grows, a gauge is a value at an instant.</summary>
public enum MetricType
{
    Counter,
    Gauge,
}
