using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>Sample: min(N, limit) live entries of the VIP asked for, none of another, read whole, from any starting bucket.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTableSampleTests
{
    private const uint Now = 50_000;
    private static readonly WireAddress OtherVip = WireAddress.FromBytes([10, 0, 0, 101]);

    private static ConnectionTable TableWith(int ofVip, int ofOther)
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 14, Ways = 8 });
        for (int n = 0; n < ofVip; n++)
            table.Set(TestFlows.Key(n), TestFlows.Backend(n % 5), IpVersion.V4, Now);
        for (int n = 0; n < ofOther; n++)
        {
            FlowKey key = TestFlows.Key(n);
            table.Set(new FlowKey(key.Client, OtherVip, key.PortsWord, IpProtocol.Tcp, IpVersion.V4), TestFlows.Backend(9), IpVersion.V4, Now);
        }
        return table;
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5, 10)]
    [InlineData(10, 10)]
    [InlineData(500, 10)]
    [InlineData(500, 1000)]
    public void A_sample_holds_min_of_entries_and_limit_of_that_vip_only(int entries, int limit)
    {
        ConnectionTable table = TableWith(entries, ofOther: 300);
        var into = new List<ConnectionSample>();
        int added = table.Sample(TestFlows.Vip4, IpVersion.V4, 80, IpProtocol.Tcp, firstBucket: 1234, Now + 5, limit, into);

        Assert.Equal(Math.Min(entries, limit), added);
        Assert.Equal(added, into.Count);
        Assert.All(into, s =>
        {
            Assert.Equal(80, s.VipPort);
            Assert.Equal(IpProtocol.Tcp, s.Protocol);
            Assert.NotEqual(TestFlows.Backend(9), s.Backend);
            Assert.Equal(TimeSpan.FromMilliseconds(5), s.Idle);
        });
        Assert.Equal(into.Count, into.Select(s => (s.Client, s.ClientPort)).Distinct().Count());
    }

    [Fact]
    public void A_sample_reports_client_port_and_backend_as_set()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 64, ways: 8);
        table.Set(TestFlows.Key(7), TestFlows.Backend(3), IpVersion.V4, 8080, Now);
        var into = new List<ConnectionSample>();
        table.Sample(TestFlows.Vip4, IpVersion.V4, 0, 0, 0, Now, 10, into);
        ConnectionSample sample = Assert.Single(into);
        Assert.Equal(TestFlows.Key(7).Client, sample.Client);
        Assert.Equal(1024 + 7, sample.ClientPort);
        Assert.Equal((TestFlows.Backend(3), IpVersion.V4, (ushort)8080), (sample.Backend, sample.BackendVersion, sample.BackendPort));
    }

    [Fact]
    public void Dead_entries_and_other_protocols_ports_and_versions_are_left_out()
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 256, Ways = 8, UdpIdleTimeout = TimeSpan.FromSeconds(1) });
        table.Set(TestFlows.Key(1, IpProtocol.Udp), TestFlows.Backend(1), IpVersion.V4, Now);       // dead by then
        table.Set(TestFlows.Key(2), TestFlows.Backend(1), IpVersion.V4, Now);                       // tcp: alive
        table.Set(TestFlows.Key(3, version: IpVersion.V6), TestFlows.Backend(1), IpVersion.V4, Now); // another version
        var into = new List<ConnectionSample>();
        Assert.Equal(1, table.Sample(TestFlows.Vip4, IpVersion.V4, 0, 0, 0, Now + 5000, 10, into));
        Assert.Equal(0, table.Sample(TestFlows.Vip4, IpVersion.V4, 81, 0, 0, Now, 10, into = []));
        Assert.Equal(0, table.Sample(TestFlows.Vip4, IpVersion.V4, 80, IpProtocol.Udp, 0, Now + 5000, 10, into));
    }

    [Fact]
    public void A_sample_beside_a_worker_evicting_all_the_time_never_reports_a_torn_entry()
    {
        // Key n's client is 192.168.x.y and its backend 10.1.x.y: an entry read half before and half after the
        // owner rewrote its slot for another key would pair one key's client with another's backend.
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 256, Ways = 8 });
        using var stop = new CancellationTokenSource();
        var owner = new Thread(() =>
        {
            var random = new Random(3);
            while (!stop.IsCancellationRequested)
            {
                int n = random.Next(60_000);
                table.Set(TestFlows.Key(n), TestFlows.Backend(n), IpVersion.V4, Now);
            }
        }) { IsBackground = true };
        owner.Start();
        int sampled = 0;
        try
        {
            var into = new List<ConnectionSample>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int round = 0; round < 100_000 && clock.Elapsed < TimeSpan.FromSeconds(2); round++)
            {
                into.Clear();
                table.Sample(TestFlows.Vip4, IpVersion.V4, 80, IpProtocol.Tcp, round, Now, 64, into);
                foreach (ConnectionSample sample in into)
                {
                    Assert.True(sample.Client.Bytes[2..4].SequenceEqual(sample.Backend.Bytes[2..4]),
                        $"torn: client {sample.Client.ToIPAddress(IpVersion.V4)} with backend {sample.Backend.ToIPAddress(IpVersion.V4)}");
                    Assert.Equal(1024 + ((sample.Client.Bytes[2] << 8) | sample.Client.Bytes[3]) % 60000, sample.ClientPort);
                }
                sampled += into.Count;
            }
        }
        finally
        {
            stop.Cancel();
            Assert.True(owner.Join(TimeSpan.FromSeconds(10)));
        }
        Assert.True(sampled > 0, "nothing was sampled");
    }
}
