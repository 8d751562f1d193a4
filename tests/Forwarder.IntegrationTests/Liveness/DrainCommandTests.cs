using System.Diagnostics;
using System.Text.Json;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Liveness;

/// <summary>
/// <c>forwarder drain</c> against a load-balancing forwarder with a liveness device: the command returns at once, the
/// device goes down, a second drain changes nothing, and the forwarder stops by itself once its VIP is quiet.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DrainCommandTests(ITestOutputHelper output)
{
    private const string Device = "fwdlive1";

    [RootFact]
    public void Forwarder_drain_withdraws_at_once_and_the_forwarder_stops_when_quiet()
    {
        string root = Path.Combine(Path.GetTempPath(), $"fwt-drain-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string socket = Path.Combine(root, "api.sock");
        try
        {
            using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip,
                runOptions: ["--api", $"unix:{socket}", "--liveness-device", Device, "--drain-quiet", "2", "--drain-max", "20"]);
            NetworkNamespace ns = lb.Topology.LoadBalancer;
            lb.Forwarder.WaitUntil(() => File.Exists(socket) && DeviceFlags(ns)?.Contains("UP") == true, $"the API socket and {Device} up");
            using var api = new UnixApiClient(socket);
            (int status, string metrics) = api.Send(HttpMethod.Get, "/metrics");
            Assert.True(status == 200, metrics);
            Assert.Contains($"forwarder_liveness_device_up{{device=\"{Device}\"}} 1", metrics);

            var took = Stopwatch.StartNew();
            CommandResult drain = HostCommand.Run(ForwarderProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), "drain", "--api", $"unix:{socket}"],
                TimeSpan.FromSeconds(30));
            output.WriteLine($"{drain} ({took.ElapsedMilliseconds} ms)");
            Assert.True(drain.Succeeded, drain.ToString());
            Assert.StartsWith($"liveness device {Device}: down, draining for ", drain.Stdout);
            Assert.False(DeviceFlags(ns)!.Contains("UP"), $"{Device} still up after forwarder drain");
            (status, string again) = api.Send(HttpMethod.Post, "/drain");
            Assert.True(status == 202, again);
            Assert.Equal("POST /drain", JsonDocument.Parse(again).RootElement.GetProperty("drain_trigger").GetString());

            Assert.Equal(0, lb.Forwarder.WaitForExit(ForwarderProcess.ExitTimeout));
            output.WriteLine(lb.Forwarder.Describe());
            JsonElement final = JsonDocument.Parse(lb.FinalLine[ForwarderReport.Marker.Length..]).RootElement.GetProperty("drain");
            Assert.Equal("POST /drain", final.GetProperty("trigger").GetString());
            Assert.Equal("quiet", final.GetProperty("ended").GetString());
            Assert.Null(DeviceFlags(ns));
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The device's flags as <c>ip link</c> prints them (<c>POINTOPOINT,NOARP,UP,LOWER_UP</c>); null when it does not exist.</summary>
    private static string[]? DeviceFlags(NetworkNamespace ns)
    {
        CommandResult link = ns.Exec("ip", "link", "show", "dev", Device);
        if (!link.Succeeded)
            return null;
        return link.Stdout[(link.Stdout.IndexOf('<') + 1)..link.Stdout.IndexOf('>')].Split(',');
    }
}
