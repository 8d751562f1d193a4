namespace BenchReport;

/// <summary>What each bench/e2e.sh case measures, for the JSON report.</summary>
public static class CaseInfo
{
    public static string Describe(string name) => name switch
    {
        "drop" => "kernel XDP_DROP on the lb veth (baseline)",
        "tx" => "kernel XDP_TX hairpin back to the generator (baseline)",
        "fwd" => "forwarder, plain L2 forward, 1 queue",
        "fwd2q" => "forwarder, plain L2 forward, 2 queues",
        "lb" => "forwarder load balancing (ipip, Maglev), 1 queue",
        "lb2q" => "forwarder load balancing (ipip, Maglev), 2 queues",
        _ when name.StartsWith("lb-f", StringComparison.Ordinal) => "forwarder load balancing, 1 queue, flow count varied",
        _ when name.StartsWith("lb-b", StringComparison.Ordinal) => "forwarder load balancing, 1 queue, backend count varied",
        _ => name,
    };
}
