using Forwarder.HostAddresses;

namespace Forwarder.Metrics;

/// <summary>The host's own addresses, which nat never rewrites traffic to (see <see cref="HostAddressWatcher"/>).</summary>
public static class HostAddressMetrics
{
    public static void Write(PrometheusTextWriter writer, HostAddressReading reading)
    {
        writer.Family("forwarder_host_addresses", MetricType.Gauge, "Addresses of the host's network namespace known to the XDP program (nat backends' packets to them go to the kernel).");
        writer.Sample(reading.Addresses);
        writer.Family("forwarder_host_address_sync_failures_total", MetricType.Counter,
            "Failures reading or applying the host's addresses (logged; forwarding goes on with the addresses known, and a resync follows).");
        writer.Sample(reading.Failures);
    }
}
