namespace TrafficGen.Sink;

/// <summary>
/// How the sink measures: once the first frame arrives, <see cref="Warmup"/> seconds are ignored, then
/// <see cref="Runs"/> windows of <see cref="RunSeconds"/> each give one rate. Runs = 0 means no measurement:
/// the sink only reports every interval until stopped.
/// </summary>
public sealed record MeasurementPlan(double Warmup, int Runs, double RunSeconds, double FirstFrameTimeout);
