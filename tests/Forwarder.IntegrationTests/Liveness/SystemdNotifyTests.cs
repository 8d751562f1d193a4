using System.Net.Sockets;
using System.Text;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Liveness;

/// <summary>
/// <c>forwarder run</c> under a service manager's notify socket, played by the test: <c>READY=1</c> once it serves,
/// <c>WATCHDOG=1</c> at half of <c>WATCHDOG_USEC</c> from the re-exec'd process (same pid, fewer capabilities), and
/// <c>STOPPING=1</c> when a drain begins.
/// </summary>
public sealed class SystemdNotifyTests(ITestOutputHelper output)
{
    [RootFact]
    public void Ready_watchdog_pings_and_stopping_reach_the_notify_socket()
    {
        using LoadBalancerTopology topology = LoadBalancerTopology.Create();
        string directory = Directory.CreateTempSubdirectory("fwt-notify-").FullName;
        try
        {
            string path = Path.Combine(directory, "notify");
            using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            systemd.Bind(new UnixDomainSocketEndPoint(path)); // a path: reachable from the forwarder's network namespace
            var received = new List<(TimeSpan At, string Text)>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Task listening = Task.Run(() =>
            {
                var buffer = new byte[1024];
                while (!cancel.IsCancellationRequested)
                {
                    int length;
                    try
                    {
                        length = systemd.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    lock (received)
                        received.Add((clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, length)));
                }
            });

            ForwarderProcess forwarder;
            // Inherited by the forwarder (integration tests run one at a time), as systemd would set them.
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", "400000");
            try
            {
                forwarder = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions() with { Extra = ["--liveness-device", "fwdnotify0", "--drain-quiet", "1"] });
            }
            finally
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
                Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
            }
            using (forwarder)
            {
                forwarder.WaitForReady();
                bool pinged = Wait.Until(() => Count(received, "WATCHDOG=1") >= 4, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
                Assert.True(pinged, $"{Count(received, "WATCHDOG=1")} watchdog pings within 10 s.\n{Texts(received)}\n{forwarder.Describe()}");
                forwarder.Signal(LibC.SIGTERM);
                Assert.True(Wait.Until(() => Count(received, "STOPPING=1") >= 1, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)), Texts(received));
                Assert.Equal(0, forwarder.WaitForExit(ForwarderProcess.ExitTimeout));
            }
            cancel.Cancel();
            listening.Wait(TimeSpan.FromSeconds(5));
            output.WriteLine(Texts(received));

            List<(TimeSpan At, string Text)> all;
            lock (received)
                all = [.. received];
            Assert.Equal("READY=1\nSTATUS=forwarding on l0", all[0].Text);
            TimeSpan[] pings = all.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToArray();
            TimeSpan widest = pings.Zip(pings.Skip(1), (a, b) => b - a).Max();
            Assert.True(widest < TimeSpan.FromMilliseconds(400), $"pings {widest.TotalMilliseconds} ms apart, not within WATCHDOG_USEC:\n{Texts(received)}");
            Assert.Contains(all, m => m.Text == "STOPPING=1\nSTATUS=draining");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Notifications whose first assignment is <paramref name="assignment"/>, e.g. <c>WATCHDOG=1</c>.</summary>
    private static int Count(List<(TimeSpan At, string Text)> received, string assignment)
    {
        lock (received)
            return received.Count(m => m.Text.Split('\n')[0] == assignment);
    }

    private static string Texts(List<(TimeSpan At, string Text)> received)
    {
        lock (received)
            return string.Join('\n', received.Select(m => $"{m.At.TotalMilliseconds,8:F0} ms {m.Text.Replace('\n', '|')}"));
    }
}
