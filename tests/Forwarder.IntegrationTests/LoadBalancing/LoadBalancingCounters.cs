using System.Net;
using System.Text.Json;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// The <c>load_balancing</c> part of the forwarder's FINAL report: the nat replies it translated back,
/// the packets it sent to each backend of the VIPs, and the replies of each (nat) backend it translated.
/// </summary>
public sealed record LoadBalancingCounters(long NatReplies, IReadOnlyDictionary<IPAddress, long> PacketsToBackend,
    IReadOnlyDictionary<IPAddress, long> RepliesFromBackend)
{
    public static LoadBalancingCounters Parse(string finalLine)
    {
        const string Marker = "FINAL ";
        if (!finalLine.StartsWith(Marker, StringComparison.Ordinal))
            throw new FormatException($"not a FINAL line: {finalLine}");
        using JsonDocument json = JsonDocument.Parse(finalLine[Marker.Length..]);
        if (!json.RootElement.TryGetProperty("load_balancing", out JsonElement lb))
            throw new FormatException($"FINAL has no load_balancing section: {finalLine}");
        var packets = new Dictionary<IPAddress, long>();
        var replies = new Dictionary<IPAddress, long>();
        foreach (JsonElement vip in lb.GetProperty("vips").EnumerateArray())
        {
            foreach (JsonElement backend in vip.GetProperty("backends").EnumerateArray())
            {
                IPAddress address = IPAddress.Parse(backend.GetProperty("address").GetString()!);
                packets[address] = packets.GetValueOrDefault(address) + backend.GetProperty("packets").GetInt64();
                replies[address] = replies.GetValueOrDefault(address) + backend.GetProperty("reply_packets").GetInt64();
            }
        }
        return new LoadBalancingCounters(lb.GetProperty("nat_replies").GetInt64(), packets, replies);
    }

    public long PacketsTo(IPAddress backend) => PacketsToBackend.GetValueOrDefault(backend);

    public long RepliesFrom(IPAddress backend) => RepliesFromBackend.GetValueOrDefault(backend);
}
