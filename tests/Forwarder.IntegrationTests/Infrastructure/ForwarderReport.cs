using System.Text.Json;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The JSON the forwarder prints after `FINAL ` when it stops.</summary>
public sealed record ForwarderReport(IReadOnlyList<QueueCounters> Queues, XdpCounters Xdp)
{
    public const string Marker = "FINAL ";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
    };

    public long TotalRx => Queues.Sum(q => q.Rx);
    public long TotalTx => Queues.Sum(q => q.Tx);
    public long TotalDrops => Queues.Sum(q => q.Drops);

    public QueueCounters Queue(int queue) =>
        Queues.SingleOrDefault(q => q.Queue == queue) ?? throw new InvalidOperationException($"no counters for queue {queue} in {this}");

    /// <summary>Parses the last `FINAL {json}` line of the output, or throws saying what was printed instead.</summary>
    public static ForwarderReport Parse(IEnumerable<string> stdoutLines)
    {
        string? line = stdoutLines.LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (line is null)
            throw new InvalidOperationException("the forwarder printed no FINAL line");
        string json = line[Marker.Length..];
        ForwarderReport? report = JsonSerializer.Deserialize<ForwarderReport>(json, Json);
        if (report?.Queues is null || report.Xdp is null)
            throw new InvalidOperationException($"FINAL lacks queues or xdp: {json}");
        return report;
    }

    public override string ToString() =>
        $"queues [{string.Join(", ", Queues.Select(q => $"q{q.Queue} rx {q.Rx} tx {q.Tx} drops {q.Drops}"))}], " +
        $"xdp seen {Xdp.Seen} redirected {Xdp.Redirected} passed {Xdp.Passed} malformed {Xdp.Malformed} no_socket {Xdp.NoSocket} host_passed {Xdp.HostPassed}";
}
