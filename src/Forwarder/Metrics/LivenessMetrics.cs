using Forwarder.Liveness;

namespace Forwarder.Metrics;

/// <summary>The liveness device's metrics: whether it is up (the node announced), whether a drain runs, and the watchdog's stalls.</summary>
public static class LivenessMetrics
{
    public static void Write(PrometheusTextWriter writer, LivenessReading liveness)
    {
        var device = new MetricLabel("device", liveness.Device);
        writer.Family("forwarder_liveness_device_up", MetricType.Gauge,
            "1 while the liveness device is up (BIRD announces the VIPs via it); 0 while draining, withdrawn by the watchdog, or before the workers run.");
        writer.Sample(liveness.DeviceUp ? 1 : 0, device);
        writer.Family("forwarder_draining", MetricType.Gauge, "1 while a drain runs: the device is down and forwarding goes on until the VIPs are quiet.");
        writer.Sample(liveness.Draining ? 1 : 0);
        writer.Family("forwarder_watchdog_stalls_total", MetricType.Counter,
            "Times the watchdog withdrew because a worker made no progress with frames waiting in its RX ring.");
        writer.Sample(liveness.WatchdogStalls);
    }
}
