using System.Diagnostics;
using System.Text.Json;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// <c>forwarder flow</c> against a running forwarder in every mode: for real connections through it, the
/// backend the answer names is the backend that answered, and with the connection table the entry the worker
/// remembered is found and its next packet goes there too.
/// </summary>
public sealed class FlowQueryTests(ITestOutputHelper output)
{
    private const int Flows = 24;

    [RootFact]
    public void Ipip_each_flow_s_answer_names_the_backend_that_received_it() => Check(LoadBalancingMode.Ipip, 41000);

    [RootFact]
    public void Gue_each_flow_s_answer_names_the_backend_that_received_it() => Check(LoadBalancingMode.Gue, 42000);

    [RootFact]
    public void DsrL2_each_flow_s_answer_names_the_backend_that_received_it() => Check(LoadBalancingMode.DsrL2, 43000);

    [RootFact]
    public void Nat_each_flow_s_answer_names_the_backend_that_received_it() => Check(LoadBalancingMode.Nat, 44000);

    private void Check(LoadBalancingMode mode, int firstPort)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode, runOptions: ["--api", $"unix:{socket}", "--flow-table", "4096"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);

        var mismatches = new List<string>();
        var backendsSeen = new HashSet<string>();
        var receivedBy = new Dictionary<int, Backend>();
        for (int port = firstPort; port < firstPort + Flows; port++)
        {
            string answeredBy = HttpExchange.Get(lb.Topology.Client, new(ClientAddress, port), VipEndpoint, TimeSpan.FromSeconds(3)).Trim();
            Backend received = lb.Backends.Single(b => b.Name == answeredBy);
            backendsSeen.Add(received.Name);
            receivedBy[port] = received;

            (int status, string body) = api.Send(HttpMethod.Get, $"/flow?src={ClientAddress}:{port}&dst={Vip}:{VipPort}&proto=tcp");
            Assert.True(status == 200, body);
            JsonElement flow = JsonDocument.Parse(body).RootElement;
            string named = flow.GetProperty("backend").GetProperty("address").GetString()!;
            JsonElement[] connections = flow.GetProperty("connections").EnumerateArray().ToArray();
            string? remembered = connections.Length == 1 ? connections[0].GetProperty("next_packet").GetString() : null;
            if (named != received.Address.ToString() || remembered != received.Address.ToString())
                mismatches.Add($"port {port}: received by {received}, answer {named}, connection entries {flow.GetProperty("connections")}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {Flows} answers disagree with the data path: {string.Join("; ", mismatches.Take(5))}\n{lb.Describe()}");
        Assert.True(backendsSeen.Count > 1, "every flow reached one backend, so agreement says little");

        // The command line itself, text and JSON, for one flow.
        string text = RunFlow(socket, $"{ClientAddress}:{firstPort}", $"{Vip}:{VipPort}", "tcp");
        output.WriteLine(text);
        Assert.Contains($"  backend       {receivedBy[firstPort].Address} ", text);
        Assert.Contains($"  mode          {mode.ConfigName()}", text);
        JsonElement json = JsonDocument.Parse(RunFlow(socket, $"{ClientAddress}:{firstPort}", $"{Vip}:{VipPort}", "tcp", "--json")).RootElement;
        Assert.Equal(receivedBy[firstPort].Address.ToString(), json.GetProperty("backend").GetProperty("address").GetString());
    }

    private static string RunFlow(string socket, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), "flow", .. arguments, "--api", $"unix:{socket}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "forwarder flow did not finish");
        Assert.True(process.ExitCode == 0, $"forwarder flow exited {process.ExitCode}: {stdout}{stderr.Result}");
        return stdout;
    }
}
