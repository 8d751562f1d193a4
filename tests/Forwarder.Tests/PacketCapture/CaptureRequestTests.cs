using System.Runtime.Versioning;
using Forwarder.Capture;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.PacketCapture;

[SupportedOSPlatform("linux")]
public sealed class CaptureRequestTests
{
    [Theory]
    [InlineData("10.0.0.10", 0, 0)]
    [InlineData("10.0.0.10:80", 80, 0)]
    [InlineData("10.0.0.10:443/tcp", 443, 6)]
    [InlineData("10.0.0.10/UDP", 0, 17)]
    [InlineData("fc00::10", 0, 0)]
    [InlineData("[fc00::10]:53/udp", 53, 17)]
    public void Vips_are_read_with_optional_port_and_protocol(string vip, int port, int protocol)
    {
        CaptureRequest? request = CaptureRequest.Read(vip, null, null, null, null, null, out List<string> errors);
        Assert.Empty(errors);
        Assert.Equal((port, protocol), (request!.Filter.VipPort, request.Filter.VipProtocol));
        Assert.NotNull(request.Filter.VipAddress);
    }

    [Theory]
    [InlineData("vip", "10.0.0", "not an IPv4 or IPv6 address")]
    [InlineData("vip", "10.0.0.1:99999", "port '99999'")]
    [InlineData("vip", "10.0.0.1/sctp", "not tcp or udp")]
    [InlineData("vip", "[fc00::1", "IPv6 with a port")]
    [InlineData("vip", "fe80::1%eth0", "not an IPv4 or IPv6 address")]
    [InlineData("backend", "backend-1", "backend 'backend-1'")]
    [InlineData("drop", "lost", "is not one of the metrics' reasons: frame_too_short")]
    [InlineData("drop", "tx_ring_full", "cannot be captured")]
    [InlineData("count", "0", "from 1 to 100000000")]
    [InlineData("count", "100000001", "from 1 to 100000000")]
    [InlineData("count", "-5", "from 1 to 100000000")]
    [InlineData("snap", "0", "at least 1")]
    [InlineData("snap", "lots", "at least 1")]
    [InlineData("duration", "0", "from 1s to 24h")]
    [InlineData("duration", "25h", "from 1s to 24h")]
    [InlineData("duration", "5d", "from 1s to 24h")]
    [InlineData("duration", "99999999999999999999", "from 1s to 24h")]
    public void Bad_values_are_refused_naming_the_value(string field, string value, string expected)
    {
        CaptureRequest? request = CaptureRequest.Read(field == "vip" ? value : null, field == "backend" ? value : null, field == "drop" ? value : null,
            field == "count" ? value : null, field == "snap" ? value : null, field == "duration" ? value : null, out List<string> errors);
        Assert.Null(request);
        Assert.Contains(expected, Assert.Single(errors));
    }

    [Theory]
    [InlineData("65535", CaptureFilter.MaxSnapLength)]
    [InlineData("99999999999999999999999", CaptureFilter.MaxSnapLength)]
    [InlineData("96", 96)]
    public void A_huge_snap_length_keeps_whole_frames(string snap, int expected)
    {
        Assert.Equal(expected, CaptureRequest.Read(null, null, null, null, snap, null, out _)!.Filter.SnapLength);
    }

    [Fact]
    public void Every_value_together()
    {
        CaptureRequest request = CaptureRequest.Read("10.0.0.10:80/tcp", "10.0.0.2", "no_backend", "10", "128", "2m", out List<string> errors)!;
        Assert.Empty(errors);
        Assert.Equal((10L, TimeSpan.FromMinutes(2), DropReason.NoBackend, 128), (request.Count, request.Duration, request.Filter.Drop, request.Filter.SnapLength));
        Assert.Equal(10, request.Filter.Count);
    }

    [Fact]
    public void Ring_sizes_are_bounded()
    {
        Assert.Equal(1024, CaptureSession.SlotsFor(4096));
        Assert.Equal(16384, CaptureSession.SlotsFor(1));
    }
}
