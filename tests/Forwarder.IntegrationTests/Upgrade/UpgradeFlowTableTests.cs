using System.Globalization;
using System.Text.Json;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// With <c>--flow-table</c> the workers' connection tables live in shared memory that an upgrade hands over: after
/// one, the new process's tables hold every entry the old one's held (the entries metric per queue) and each flow's
/// look-up (<c>GET /flow</c>) finds the same entry, live, with the same backend remembered.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeFlowTableTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwt-upgrade-flows-").FullName;

    [RootFact]
    public void Every_connection_table_entry_survives_an_upgrade()
    {
        using var rig = FlowTableUpgradeRig.Start(_directory, sourcePorts: 32);
        string socket = rig.Socket;
        rig.SendAll(3_200, "before the upgrade");

        string[] before = Flows(socket, rig.Client.LocalPorts);
        long[] entriesBefore = Entries(socket);
        output.WriteLine($"before: {string.Join(", ", entriesBefore)} entries per queue; {before[0]}");
        Assert.Equal(rig.Client.LocalPorts.Count, entriesBefore.Sum());

        rig.UpgradeByCommand();

        long[] entriesAfter = Entries(socket);
        string[] after = Flows(socket, rig.Client.LocalPorts);
        output.WriteLine($"after: {string.Join(", ", entriesAfter)} entries per queue (pid {rig.Chain.Current})");
        Assert.Equal(entriesBefore, entriesAfter);
        Assert.Equal(before, after);
        Assert.All(after, flow => Assert.Contains("live", flow));
        rig.Chain.StopCurrent(TimeSpan.FromSeconds(15));
    }

    /// <summary>Per client port, the flow's connection-table entries as <c>queue state remembered</c>, every table read.</summary>
    private static string[] Flows(string socket, IReadOnlyList<int> ports)
    {
        using var api = new UnixApiClient(socket);
        return ports.Select(port =>
        {
            (int status, string body) = api.Send(HttpMethod.Get, $"/flow?src={ClientAddress}:{port}&dst={Vip}:{VipPort}&proto=udp");
            Assert.True(status == 200, body);
            JsonElement connections = JsonDocument.Parse(body).RootElement.GetProperty("connections");
            return $"{port}: " + string.Join("; ", connections.EnumerateArray().Select(c =>
                $"q{c.GetProperty("queue").GetInt32()} {c.GetProperty("state").GetString()} {(c.TryGetProperty("remembered", out JsonElement r) ? r.GetString() : "-")}"));
        }).ToArray();
    }

    /// <summary><c>forwarder_flow_table_entries</c> of each queue.</summary>
    private static long[] Entries(string socket)
    {
        using var api = new UnixApiClient(socket);
        (int status, string body) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        return body.Split('\n').Where(l => l.StartsWith("forwarder_flow_table_entries{", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).ToArray();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
