using System.Globalization;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// An upgrade's successor starts off the running workers' cores, and at nice 19 when it can take that back, every
/// thread of its start-up so (read from /proc/PID/task/*/stat and status while it starts), and takes over at the normal
/// priority: its worker pinned to its core, every other thread on every core again, none niced.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeStartupIsolationTests(ITestOutputHelper output)
{
    /// <summary>Capabilities dropped as by default: no CAP_SYS_NICE, RLIMIT_NICE 0, so no nice value the successor could not take back.</summary>
    [RootFact]
    public void The_successor_starts_off_the_workers_cores_and_takes_over_with_its_worker_on_its_core() =>
        UpgradeAndWatch(nice: 0, extra: []);

    /// <summary>With CAP_SYS_NICE kept (<c>--keep-capabilities</c> as root), the start-up also runs at nice 19.</summary>
    [RootFact]
    public void Holding_cap_sys_nice_the_successor_also_starts_at_nice_19_and_takes_over_at_0() =>
        UpgradeAndWatch(nice: 19, extra: ["--keep-capabilities"]);

    private void UpgradeAndWatch(int nice, string[] extra)
    {
        Assert.True(Environment.ProcessorCount >= 2, "the test needs a core beside the worker's");
        using LoadBalancerTopology topology = Create();
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer,
            topology.ForwarderOptions() with { Queues = "0", Cores = "1", StatsIntervalSeconds = 0, Extra = extra });
        forwarder.WaitForReady();
        using var chain = new UpgradeProcesses(forwarder);

        var samples = new List<ThreadState[]>();
        using var stop = new CancellationTokenSource();
        int predecessor = forwarder.Pid;
        Task sampler = Task.Run(() =>
        {
            int successor = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                successor = successor != 0 ? successor : ChildOf(predecessor);
                if (successor != 0 && Threads(successor) is { Length: > 0 } threads)
                {
                    lock (samples)
                        samples.Add(threads);
                }
                Thread.Sleep(5);
            }
        });
        chain.UpgradeBySignal(TimeSpan.FromSeconds(90));
        stop.Cancel();
        sampler.Wait(TimeSpan.FromSeconds(10));

        // The rest of its start-up (the deferred start: health checks, the control API) stays off the worker's core until done.
        ThreadState[] after = [];
        Wait.Until(() => (after = Threads(chain.Current)).Where(t => !t.Name.StartsWith("xdp", StringComparison.Ordinal)).All(t => t.Cores == "0-1"),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        output.WriteLine($"{samples.Count} samples while it started; the first with several threads: " +
            string.Join(", ", samples.FirstOrDefault(s => s.Length > 2) ?? []));
        output.WriteLine($"after the take-over: {string.Join(", ", after)}");
        output.WriteLine(string.Join('\n', forwarder.StdoutLines.Where(l => l.Contains("upgrade", StringComparison.Ordinal))));

        // While it starts (until it lifts both, just before it says ready), every thread is on core 0 at the start-up's nice value.
        Assert.Contains(samples, s => s.Length > 2 && s.All(t => t.Nice == nice && t.Cores == "0"));
        Assert.All(samples.TakeWhile(s => !s.Any(t => t.Name.StartsWith("xdp", StringComparison.Ordinal))),
            s => Assert.All(s, t => Assert.True(t is { Cores: "0" } && t.Nice == nice, $"while starting: {t}")));
        Assert.All(after, t => Assert.Equal(0, t.Nice));
        ThreadState worker = Assert.Single(after, t => t.Name.StartsWith("xdp", StringComparison.Ordinal));
        Assert.Equal("1", worker.Cores);
        Assert.All(after.Where(t => t != worker), t => Assert.Equal("0-1", t.Cores));
        chain.StopCurrent(TimeSpan.FromSeconds(15));
    }

    private sealed record ThreadState(int Tid, string Name, int Nice, string Cores)
    {
        public override string ToString() => $"{Tid} '{Name}' nice {Nice} cores {Cores}";
    }

    /// <summary>The first child process of <paramref name="pid"/> (any of its threads'), or 0.</summary>
    private static int ChildOf(int pid)
    {
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string children = File.ReadAllText(Path.Combine(task, "children")).Trim();
                if (children.Length > 0)
                    return int.Parse(children.Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }

    private static ThreadState[] Threads(int pid)
    {
        var threads = new List<ThreadState>();
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    string stat = File.ReadAllText(Path.Combine(task, "stat"));
                    string name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    int nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture); // field 19
                    string cores = File.ReadAllLines(Path.Combine(task, "status")).First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                        .Split(':')[1].Trim();
                    threads.Add(new ThreadState(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), name, nice, cores));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // the thread ended meanwhile
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return threads.ToArray();
    }
}
