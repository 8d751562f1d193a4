namespace Forwarder.Cli;

/// <summary>
/// The XDP program's counters in <see cref="StatsReport"/>: packets it saw, redirected to the workers' sockets,
/// passed to the kernel (of them: a <c>nat</c> backend's packets to the host itself), found no socket for, or
/// found malformed; and the rates of the first three.
/// </summary>
public sealed record XdpRates(long Seen, long Redirected, long Passed, long HostPassed, long NoSocket, long Malformed,
    double SeenPps, double RedirectedPps, double PassedPps)
{
    internal static XdpRates From(MetricsReading earlier, MetricsReading now) => new(
        Total(now, "forwarder_xdp_seen_packets_total"),
        Total(now, "forwarder_xdp_redirected_packets_total"),
        Total(now, "forwarder_xdp_passed_packets_total"),
        Total(now, "forwarder_xdp_host_passed_packets_total"),
        Total(now, "forwarder_xdp_no_socket_packets_total"),
        Total(now, "forwarder_xdp_malformed_packets_total"),
        StatsReport.Rounded(now.Rate(earlier, "forwarder_xdp_seen_packets_total")),
        StatsReport.Rounded(now.Rate(earlier, "forwarder_xdp_redirected_packets_total")),
        StatsReport.Rounded(now.Rate(earlier, "forwarder_xdp_passed_packets_total")));

    private static long Total(MetricsReading now, string name) => (long)now.Value(name);
}
