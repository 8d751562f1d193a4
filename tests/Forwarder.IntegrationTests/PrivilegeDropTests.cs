using System.Net;
using Forwarder.Hosting.Privileges;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests;

/// <summary>
/// After set-up every thread of `forwarder run` holds only CAP_BPF and CAP_NET_ADMIN, and that is enough
/// to forward, to apply a live change and to detach at the end; `--keep-capabilities` keeps them all.
/// The re-exec keeps the process's name and argv[0]: tools (ps, pidof, ss) find it as it was started.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivilegeDropTests
{
    /// <summary>CAP_NET_ADMIN (12) and CAP_BPF (39): /proc/PID/status writes the mask 0000008000001000.</summary>
    private static readonly CapabilitySet BpfAndNetAdmin = new(0x0000008000001000);

    private static readonly IPAddress AddedVip = IPAddress.Parse("10.100.0.2");

    [RootFact]
    public void Every_thread_keeps_only_bpf_and_net_admin_and_live_changes_and_detach_still_work()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        try
        {
            using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
            IReadOnlyList<CurlOutcome> first = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(23000, 6).ToArray());
            Assert.True(first.All(o => o.Succeeded), $"the forwarder does not forward: {string.Join("; ", first)}\n{lb.Describe()}");

            IReadOnlyDictionary<int, ProcessCapabilities> threads = ProcessCapabilities.OfEveryThread(lb.Forwarder.Pid);
            Assert.True(threads.Count > 1, $"read {threads.Count} thread(s) of pid {lb.Forwarder.Pid}");
            foreach ((int tid, ProcessCapabilities caps) in threads)
            {
                Assert.True(caps.Effective == BpfAndNetAdmin && caps.Permitted == BpfAndNetAdmin && caps.Bounding == BpfAndNetAdmin,
                    $"thread {tid}: {caps}\n{lb.Describe()}");
            }
            // Logged during set-up, written once the first batch is forwarded (the logger is built after it): waited for, bounded.
            Assert.True(Wait.Until(() => lb.Forwarder.Stderr.Split('\n').Concat(lb.Forwarder.StdoutLines).Any(line => line.Contains("capabilities held (any thread): CAP_NET_ADMIN, CAP_BPF")),
                TimeSpan.FromSeconds(5)), $"no 'capabilities held' line\n{lb.Describe()}");
            Assert.Equal(ProcessIdentity.ExecutedFrom(ForwarderProcess.DotnetHost()), ProcessIdentity.Of(lb.Forwarder.Pid)); // as started, not "exe"

            // A second VIP, routed to lb and owned by the backends, answers only once the forwarder serves it.
            lb.Topology.Router.Ip("route", "add", $"{AddedVip}/32", "via", LbAddress.ToString());
            foreach (Backend backend in lb.Backends)
                backend.Namespace.Ip("addr", "add", $"{AddedVip}/32", "dev", "lo");
            string addedUrl = $"http://{AddedVip}:{VipPort}/";
            Assert.False(CurlRequests.Get(lb.Topology.Client, addedUrl, [23100]).Single().Succeeded, "the added VIP answered before it was added");

            Backend only = lb.Backends[1];
            using (var api = new UnixApiClient(socket))
            {
                (int status, string body) = api.Send(HttpMethod.Post, "/vips",
                    $$"""{"address": "{{AddedVip}}", "port": {{VipPort}}, "protocol": "tcp", "backends": [{"address": "{{only.Address}}"}]}""");
                Assert.True(status == 200, $"POST /vips: {status} {body}\n{lb.Describe()}");
            }
            IReadOnlyList<CurlOutcome> added = CurlRequests.Get(lb.Topology.Client, addedUrl, Enumerable.Range(23200, 6).ToArray());
            Assert.True(added.All(o => o.Succeeded && o.Body.Trim() == only.Name), $"the added VIP: {string.Join("; ", added)}\n{lb.Describe()}");

            lb.Stop();
            Assert.True(XdpAttachment.ProgramOn(lb.Topology.LoadBalancer, LbInterface) is null,
                $"still attached after SIGTERM:\n{XdpAttachment.Describe(lb.Topology.LoadBalancer, LbInterface)}");
        }
        finally
        {
            File.Delete(socket);
        }
    }

    [RootFact]
    public void Keep_capabilities_keeps_every_capability_it_started_with()
    {
        using LoadBalancerTopology topology = LoadBalancerTopology.Create();
        using ForwarderProcess forwarder = ForwarderProcess.Start(
            topology.LoadBalancer, topology.ForwarderOptions() with { Extra = ["--keep-capabilities"] });
        forwarder.WaitForReady();

        ProcessCapabilities ours = ProcessCapabilities.OfCurrentThread();
        IReadOnlyDictionary<int, ProcessCapabilities> threads = ProcessCapabilities.OfEveryThread(forwarder.Pid);
        Assert.NotEmpty(threads);
        foreach ((int tid, ProcessCapabilities caps) in threads)
        {
            Assert.True(caps.Effective == ours.Effective && caps.Bounding == ours.Bounding,
                $"thread {tid}: {caps}; the test runs with {ours}\n{forwarder.Describe()}");
        }

        Assert.Equal(ProcessIdentity.ExecutedFrom(ForwarderProcess.DotnetHost()), ProcessIdentity.Of(forwarder.Pid)); // no exec: as started

        Assert.Equal(0, forwarder.Stop());
        Assert.Null(XdpAttachment.ProgramOn(topology.LoadBalancer, LoadBalancerTopology.LbInterface));
    }

    [RootFact]
    public void Started_through_the_apphost_or_a_renamed_link_it_keeps_its_name_after_dropping_capabilities()
    {
        using LoadBalancerTopology topology = LoadBalancerTopology.Create();
        DirectoryInfo links = Directory.CreateTempSubdirectory($"{topology.Prefix}-bin-");
        try
        {
            string renamed = Path.Combine(links.FullName, "lb-forwarder");
            File.CreateSymbolicLink(renamed, ForwarderProcess.AppHostPath);
            foreach (string launcher in new[] { ForwarderProcess.AppHostPath, renamed })
            {
                using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions().ToArguments().ToArray(), appHost: launcher);
                forwarder.WaitForReady();
                Assert.Equal(BpfAndNetAdmin, ProcessCapabilities.Parse(File.ReadAllText($"/proc/{forwarder.Pid}/status")).Effective); // it did re-exec

                ProcessIdentity expected = ProcessIdentity.ExecutedFrom(launcher);
                Assert.Equal(expected, ProcessIdentity.Of(forwarder.Pid));
                string[] found = HostCommand.Run("pidof", expected.Name).Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.True(found.Contains(forwarder.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"`pidof {expected.Name}` gives '{string.Join(' ', found)}', not {forwarder.Pid}");

                Assert.Equal(0, forwarder.Stop());
            }
        }
        finally
        {
            links.Delete(recursive: true);
        }
    }
}
