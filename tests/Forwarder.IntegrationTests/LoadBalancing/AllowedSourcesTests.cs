using System.Text.Json;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// <c>allowed_sources</c> with real connections: the VIP whose prefixes hold the client serves it; the VIP beside
/// it (same address, port 81) whose prefixes do not refuses every packet of it, and the FINAL line counts those
/// refusals under that VIP exactly as often as the queues count <c>source_not_allowed</c> drops.
/// </summary>
public sealed class AllowedSourcesTests(ITestOutputHelper output)
{
    private const int RefusedPort = 81;

    [RootFact]
    public void A_client_inside_the_prefixes_is_served_and_one_outside_is_refused_and_counted_under_its_vip()
    {
        string refusing = new Forwarder.Testing.VipBuilder($"{Vip}", RefusedPort, "tcp").AllowedSources("192.0.2.0/24")
            .Backends([.. BackendAddresses.Select(a => $"{a}")]).ToYaml();
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip,
            vip => vip.AllowedSources($"{ClientAddress}/32"), moreVips: refusing);

        IReadOnlyList<CurlOutcome> served = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(36000, 10).ToArray());
        Assert.All(served, o => Assert.True(o.Succeeded, $"{o}\n{lb.Describe()}"));
        IReadOnlyList<CurlOutcome> refused = CurlRequests.Get(lb.Topology.Client, $"http://{Vip}:{RefusedPort}/", [36100, 36101, 36102]);
        output.WriteLine(string.Join('\n', refused));
        Assert.All(refused, o => Assert.False(o.Succeeded, $"a client outside 192.0.2.0/24 was served: {o}"));

        lb.Stop();
        using JsonDocument final = JsonDocument.Parse(lb.FinalLine[ForwarderReport.Marker.Length..]);
        long dropped = final.RootElement.GetProperty("queues").EnumerateArray()
            .Sum(q => q.GetProperty("drop_reasons").TryGetProperty("source_not_allowed", out JsonElement n) ? n.GetInt64() : 0);
        Dictionary<string, JsonElement> vips = final.RootElement.GetProperty("load_balancing").GetProperty("vips").EnumerateArray()
            .ToDictionary(v => v.GetProperty("vip").GetString()!, v => v.GetProperty("source_not_allowed"));
        output.WriteLine($"source_not_allowed: {dropped} dropped by the queues; by VIP {string.Join(", ", vips.Select(v => $"{v.Key} {v.Value}"))}");

        Assert.True(dropped >= refused.Count, $"{dropped} source_not_allowed drops for {refused.Count} refused connections\n{lb.FinalLine}");
        Assert.Equal(0, vips[$"{Vip}:{VipPort}/tcp"].GetInt64());
        Assert.Equal(dropped, vips[$"{Vip}:{RefusedPort}/tcp"].GetInt64());
    }
}
