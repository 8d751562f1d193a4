using Forwarder.Steering;

namespace Forwarder.Metrics;

/// <summary>The XDP program's counters (bpf/redirect.c), summed over CPUs.</summary>
public static class XdpMetrics
{
    public static void Write(PrometheusTextWriter writer, RedirectCounters counters)
    {
        Counter(writer, "forwarder_xdp_seen_packets_total", "Packets the XDP program looked at.", counters.Seen);
        Counter(writer, "forwarder_xdp_redirected_packets_total", "Packets the XDP program steered into an AF_XDP socket.", counters.Redirected);
        Counter(writer, "forwarder_xdp_passed_packets_total", "Packets the XDP program handed to the kernel (not for a VIP).", counters.Passed);
        Counter(writer, "forwarder_xdp_malformed_packets_total", "Packets the XDP program could not parse (handed to the kernel).", counters.Malformed);
        Counter(writer, "forwarder_xdp_no_socket_packets_total", "VIP packets of a queue with no socket bound (handed to the kernel).", counters.NoSocket);
        Counter(writer, "forwarder_xdp_host_passed_packets_total", "Packets from nat backends to this host's own addresses, handed to the kernel (not rewritten as replies).", counters.HostPassed);
    }

    private static void Counter(PrometheusTextWriter writer, string name, string help, ulong value)
    {
        writer.Family(name, MetricType.Counter, help);
        writer.Sample(value);
    }
}
