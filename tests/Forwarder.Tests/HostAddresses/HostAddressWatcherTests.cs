using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.HostAddresses;
using Forwarder.Packets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.HostAddresses;

/// <summary>The watcher against an in-memory map and a scripted address list (its notifications come from the real kernel socket).</summary>
[SupportedOSPlatform("linux")]
public sealed class HostAddressWatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly IPAddress Lb = IPAddress.Parse("10.202.2.2");
    private static readonly IPAddress Added = IPAddress.Parse("10.202.2.3");
    private static readonly IPAddress LinkLocal = IPAddress.Parse("fe80::1");

    private readonly FakeHostAddressMap _map = new();
    private HostAddressSet _published = HostAddressSet.Empty;
    private volatile IReadOnlyList<IPAddress> _addresses = [Lb, LinkLocal];
    private volatile bool _listFails;

    private HostAddressWatcher Create(TimeSpan resyncPeriod) =>
        new(_map, addresses => Volatile.Write(ref _published, HostAddressSet.Of(addresses)), NullLogger.Instance, resyncPeriod,
            () => _listFails ? throw new IOException("netlink: no answer") : _addresses, RouteNetlinkSocket.SubscribeToAddressChanges);

    private bool Published(IPAddress address) =>
        Volatile.Read(ref _published).Contains(WireAddress.FromIPAddress(address), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4);

    [Fact]
    public void The_map_and_the_workers_set_hold_every_address_before_start_returns()
    {
        using HostAddressWatcher watcher = Create(HostAddressWatcher.DefaultResyncPeriod);
        watcher.Begin();

        Assert.True(_map.Contains(Lb) && _map.Contains(LinkLocal) && _map.Count == 2);
        Assert.True(Published(Lb) && Published(LinkLocal));
        Assert.Equal(0, watcher.Failures);
    }

    [Fact]
    public void The_resync_adds_new_addresses_and_removes_gone_ones_from_both()
    {
        using HostAddressWatcher watcher = Create(TimeSpan.FromMilliseconds(50));
        watcher.Begin();
        _addresses = [Added, LinkLocal];

        Assert.True(Wait.Until(() => _map.Contains(Added) && !_map.Contains(Lb), Bound, TimeSpan.FromMilliseconds(10)), "the map did not follow the addresses");
        Assert.True(Published(Added) && !Published(Lb) && Published(LinkLocal));
    }

    [Fact]
    public void A_failing_list_at_start_is_counted_not_thrown_and_retried()
    {
        _listFails = true;
        using HostAddressWatcher watcher = Create(HostAddressWatcher.DefaultResyncPeriod);

        watcher.Begin();
        Assert.True(watcher.Failures >= 1);
        Assert.Equal(0, _map.Count);
        _listFails = false;

        Assert.True(Wait.Until(() => _map.Contains(Lb), Bound, TimeSpan.FromMilliseconds(10)), $"no retry after the failure ({watcher.Failures} failures)");
        Assert.True(Published(Lb));
    }

    [Fact]
    public void A_failing_map_update_is_counted_and_the_next_sync_completes_the_map()
    {
        _map.FailuresLeft = 1;
        using HostAddressWatcher watcher = Create(HostAddressWatcher.DefaultResyncPeriod);

        watcher.Begin();

        Assert.True(watcher.Failures >= 1);
        // Additions reach the map before the workers' set is published.
        Assert.True(Wait.Until(() => Published(Lb) && Published(LinkLocal), Bound, TimeSpan.FromMilliseconds(10)), $"the workers' set lacks addresses after the failure ({watcher.Failures} failures)");
        Assert.Equal(2, _map.Count);
    }
}
