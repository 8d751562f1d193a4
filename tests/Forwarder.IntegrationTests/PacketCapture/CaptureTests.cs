using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.PacketCapture;

/// <summary>
/// <c>forwarder capture</c> against a running ipip forwarder with three nginx backends: the frames of real connections
/// to the VIP come out in a pcapng file that tcpdump reads, each as received (client → VIP) and as transmitted
/// (IPIP from Katran's outer source to a backend, the client's packet inside), while every connection is answered.
/// </summary>
public sealed partial class CaptureTests(ITestOutputHelper output)
{
    private const int Frames = 6;

    [RootFact]
    public void A_capture_of_a_flow_reads_back_with_tcpdump_as_received_and_as_encapsulated()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-capture-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        string file = Path.Combine(Path.GetTempPath(), $"fwt-capture-{Guid.NewGuid():N}.pcapng");
        try
        {
            using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
            Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");

            Task<CommandResult> capture = Task.Run(() => HostCommand.Run(DotnetHost(),
                [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), "capture", "--api", $"unix:{socket}", "--vip", $"{Vip}:{VipPort}/tcp",
                    "--count", $"{Frames}", "-w", file], TimeSpan.FromSeconds(60)));

            // Connections until the capture has its frames (each connection gives at least three); every one answered.
            var outcomes = new List<CurlOutcome>();
            for (int port = 31000; port < 31040 && !capture.IsCompleted; port++)
            {
                outcomes.AddRange(CurlRequests.Get(lb.Topology.Client, VipUrl, [port]));
                Thread.Sleep(100);
            }
            Assert.True(capture.Wait(TimeSpan.FromSeconds(30)), "forwarder capture did not finish");
            CommandResult captured = capture.Result;
            output.WriteLine(captured.Stdout + captured.Stderr);
            Assert.True(captured.Succeeded, captured.Stdout + captured.Stderr);
            Assert.Contains($"{Frames} frame(s) received ({Frames} transmitted, 0 dropped)", captured.Stdout);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));

            CommandResult read = HostCommand.Run("tcpdump", "-r", file, "-n", "-tt");
            output.WriteLine(read.Stdout + read.Stderr);
            Assert.True(read.Succeeded, read.Stderr);
            string[] lines = read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2 * Frames, lines.Length);

            // Received: "TIME IP CLIENT.PORT > VIP.80: Flags ..."; transmitted: "TIME IP OUTER > BACKEND: IP CLIENT.PORT > VIP.80: Flags ...".
            string backends = string.Join('|', BackendAddresses.Select(a => Regex.Escape(a.ToString())));
            var received = new Regex($@"^\d+\.\d+ IP {Regex.Escape(ClientAddress.ToString())}\.(\d+) > {Regex.Escape(Vip.ToString())}\.{VipPort}: Flags");
            var transmitted = new Regex($@"^\d+\.\d+ IP 172\.16\.\d+\.\d+ > ({backends}): IP {Regex.Escape(ClientAddress.ToString())}\.(\d+) > {Regex.Escape(Vip.ToString())}\.{VipPort}: Flags");
            for (int i = 0; i < Frames; i++)
            {
                Match rx = received.Match(lines[2 * i]), tx = transmitted.Match(lines[2 * i + 1]);
                Assert.True(rx.Success, $"line {2 * i + 1} is not a frame as received: {lines[2 * i]}");
                Assert.True(tx.Success, $"line {2 * i + 2} is not the same frame as encapsulated: {lines[2 * i + 1]}");
                Assert.Equal(rx.Groups[1].Value, tx.Groups[2].Value);
            }

            // Capturing disturbed nothing: the forwarder dropped nothing.
            ForwarderReport report = lb.Stop();
            Assert.True(report.TotalDrops == 0, lb.FinalLine);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The dotnet host running these tests (the test host runs as `dotnet testhost.dll`).</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : HostCommand.Resolve("dotnet");
    }
}
