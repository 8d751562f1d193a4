using System.Runtime.Versioning;
using Forwarder.FlowTable;

namespace Forwarder.Tests.FlowTable;

[SupportedOSPlatform("linux")]
public sealed class ConnectionTableOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_documented()
    {
        ConnectionTableOptions options = ConnectionTableOptions.Default;
        Assert.Empty(options.Validate());
        Assert.Equal((1 << 20, 8), (options.Capacity, options.Ways));
        Assert.Equal(TimeSpan.FromSeconds(300), options.TcpIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.UdpIdleTimeout);
        Assert.Equal(75_497_472, options.MemoryBytes);
    }

    [Theory]
    [InlineData(1000, 8, "flow table capacity must be a power of two from 8 to 16777216 entries, not 1000")]
    [InlineData(4, 8, "flow table capacity must be a power of two from 8 to 16777216 entries, not 4")]
    [InlineData(1 << 25, 8, "flow table capacity must be a power of two from 8 to 16777216 entries, not 33554432")]
    [InlineData(0, 8, "flow table capacity must be a power of two from 8 to 16777216 entries, not 0")]
    [InlineData(1024, 3, "flow table ways must be 1, 2, 4, 8 or 16 entries per bucket, not 3")]
    [InlineData(1024, 32, "flow table ways must be 1, 2, 4, 8 or 16 entries per bucket, not 32")]
    [InlineData(1024, 0, "flow table ways must be 1, 2, 4, 8 or 16 entries per bucket, not 0")]
    public void A_bad_shape_is_refused_with_a_clear_message(int capacity, int ways, string message)
    {
        var options = new ConnectionTableOptions { Capacity = capacity, Ways = ways };
        Assert.Equal([message], options.Validate());
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new ConnectionTable(options));
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void Bad_timeouts_are_refused_and_every_problem_is_named()
    {
        var options = new ConnectionTableOptions
        {
            Capacity = 1000,
            TcpIdleTimeout = TimeSpan.Zero,
            UdpIdleTimeout = TimeSpan.FromDays(30),
        };
        Assert.Equal(
        [
            "flow table capacity must be a power of two from 8 to 16777216 entries, not 1000",
            "flow table tcp idle timeout must be from 1 ms to 24 days, not 00:00:00",
            "flow table udp idle timeout must be from 1 ms to 24 days, not 30.00:00:00",
        ], options.Validate());
        Assert.Single(new ConnectionTableOptions { UdpIdleTimeout = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Empty(new ConnectionTableOptions { TcpIdleTimeout = FlowClock.MaxTimeout, UdpIdleTimeout = TimeSpan.FromMilliseconds(1) }.Validate());
    }

    [Fact]
    public void Every_valid_shape_builds_a_table_of_that_shape()
    {
        foreach (int ways in new[] { 1, 2, 4, 8, 16 })
        {
            var table = new ConnectionTable(new ConnectionTableOptions { Capacity = ways * 4, Ways = ways });
            Assert.Equal((ways * 4, ways, 4), (table.Capacity, table.Ways, table.BucketCount));
        }
    }
}
