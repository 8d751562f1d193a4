using System.Runtime.Versioning;
using AfXdp;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests;

/// <summary>
/// <see cref="XskSocket.TryGetStatistics"/> on a real AF_XDP socket bound to a veth queue: the kernel's counters
/// while it is open, an errno (EBADF) and no exception once it is disposed — what the stats reader relies on at shutdown.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class XskSocketStatisticsTests
{
    private const string Device = "xs0";
    private const string Peer = "xs1";
    private const int BadDescriptor = 9;

    [RootFact]
    public void An_open_socket_s_counters_are_read_and_a_disposed_one_answers_EBADF()
    {
        RootGuard.Require();
        using NetworkNamespace ns = NetworkNamespace.Create($"{NamespaceNames.NextPrefix()}-xs");
        ns.Ip("link", "add", Device, "type", "veth", "peer", "name", Peer);
        ns.Ip("link", "set", Device, "up");
        ns.Ip("link", "set", Peer, "up");

        var (open, closed, after) = ns.RunInside(() =>
        {
            var umemOptions = new UmemOptions();
            var socketOptions = new XskSocketOptions();
            XskHandOver created = XskHandOver.Create(Device, 0, umemOptions, socketOptions, $"fwt-xsk-stats-{Environment.ProcessId}");
            Umem umem = Umem.Adopt(umemOptions, created);
            XskSocket socket = XskSocket.Adopt(Device, 0, umem, socketOptions);
            int whileOpen = socket.TryGetStatistics(out _);
            socket.Dispose();
            umem.Dispose();
            int afterDispose = socket.TryGetStatistics(out XdpStatistics statistics);
            return (whileOpen, afterDispose, statistics);
        });

        Assert.Equal(0, open);
        Assert.Equal(BadDescriptor, closed);
        Assert.Equal(default, after);
    }
}
