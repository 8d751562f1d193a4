using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Forwarder.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Forwarder.Tests.Liveness;

/// <summary>The notifications to systemd: their text, the watchdog's interval, and a real datagram on a fake NOTIFY_SOCKET.</summary>
[SupportedOSPlatform("linux")]
public sealed class SystemdNotifyTests
{
    [Fact]
    public void Ready_and_stopping_carry_a_one_line_status()
    {
        Assert.Equal("READY=1\nSTATUS=forwarding on eth0", SystemdNotify.Messages.Ready("forwarding on eth0"));
        Assert.Equal("STOPPING=1\nSTATUS=draining  x", SystemdNotify.Messages.Stopping("draining\n\rx"));
        Assert.Equal("WATCHDOG=1", SystemdNotify.Messages.Watchdog);
    }

    [Theory]
    [InlineData("2000000", null, 1000.0)]
    [InlineData("2000000", "4242", 1000.0)]
    [InlineData("200", null, 0.1)]
    public void The_watchdog_is_pinged_at_half_its_timeout(string usec, string? pid, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SystemdNotify.Messages.WatchdogInterval(usec, pid, processId: 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("1e6", null)]
    [InlineData("99999999999999999999999", null)]
    [InlineData("2000000", "1")]
    [InlineData("2000000", "x")]
    public void No_watchdog_unless_systemd_asks_this_process_for_one(string? usec, string? pid) =>
        Assert.Null(SystemdNotify.Messages.WatchdogInterval(usec, pid, processId: 4242));

    [Fact]
    public void A_huge_timeout_is_capped()
    {
        TimeSpan? interval = SystemdNotify.Messages.WatchdogInterval("18446744073709551615", null, 1);
        Assert.Equal(TimeSpan.FromHours(12), interval);
    }

    [Fact]
    public void Ready_reaches_the_notify_socket_as_one_datagram()
    {
        string directory = Directory.CreateTempSubdirectory("forwarder-notify-").FullName;
        string path = Path.Combine(directory, "notify");
        try
        {
            using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            systemd.Bind(new UnixDomainSocketEndPoint(path));
            systemd.ReceiveTimeout = 5_000;
            using var notify = new SystemdNotify(NotifierFor(path));

            Assert.True(notify.IsEnabled);
            notify.Ready("forwarding on eth0");
            notify.Stopping("draining");

            var buffer = new byte[512];
            Assert.Equal("READY=1\nSTATUS=forwarding on eth0", Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
            Assert.Equal("STOPPING=1\nSTATUS=draining", Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_notify_socket_nobody_listens_on_is_no_failure()
    {
        using var notify = new SystemdNotify(NotifierFor("/nonexistent/forwarder-notify"));
        notify.Ready("forwarding");
        notify.Stopping("stopping");
    }

    [Fact]
    public void Without_notify_socket_nothing_is_sent()
    {
        var silent = new RecordingNotifier(enabled: false);
        using var notify = new SystemdNotify(silent);
        notify.Ready("forwarding");
        Assert.Empty(silent.Sent);
    }

    [Fact]
    public void A_predecessor_names_its_successor_once_and_then_sends_nothing()
    {
        var recorder = new RecordingNotifier(enabled: true);
        using var notify = new SystemdNotify(recorder);
        notify.Ready("forwarding on eth0");

        notify.HandedOver(4243);
        notify.Stopping("stopping");
        notify.Ready("forwarding again");
        notify.TookOver("forwarding");

        Assert.Equal(["READY=1\nSTATUS=forwarding on eth0", "MAINPID=4243\nSTATUS=upgraded: pid 4243 forwards"], recorder.Sent);
    }

    [Fact]
    public void Under_a_watchdog_the_hand_over_messages_carry_a_ping()
    {
        Assert.Equal("MAINPID=4243\nSTATUS=upgraded: pid 4243 forwards\nWATCHDOG=1", SystemdNotify.Messages.MainPid(4243, watchdog: true));
        Assert.Equal("MAINPID=4243\nREADY=1\nSTATUS=forwarding\nWATCHDOG=1", SystemdNotify.Messages.TookOver(4243, "forwarding", watchdog: true));
    }

    [Fact]
    public void A_successor_says_it_is_the_main_process_and_ready_in_one_datagram()
    {
        var recorder = new RecordingNotifier(enabled: true);
        using var notify = new SystemdNotify(recorder);

        notify.TookOver("forwarding on eth0\nupgraded");

        Assert.Equal([$"MAINPID={Environment.ProcessId}\nREADY=1\nSTATUS=forwarding on eth0 upgraded"], recorder.Sent);
    }

    /// <summary>The package's notifier reads NOTIFY_SOCKET when it is made: set only around that.</summary>
    private static SystemdNotifier NotifierFor(string path)
    {
        lock (typeof(SystemdNotifyTests))
        {
            string? before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
            try
            {
                return new SystemdNotifier();
            }
            finally
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
            }
        }
    }

    private sealed class RecordingNotifier(bool enabled) : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool IsEnabled => enabled;

        public void Notify(ServiceState state) => Sent.Add(state.ToString());
    }
}
