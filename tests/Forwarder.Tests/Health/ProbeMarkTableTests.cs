using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Health;
using Forwarder.Health.ViaVip;
using Forwarder.Packets;

namespace Forwarder.Tests.Health;

/// <summary>Probe marks: stable per route, reused when released, bounded; and the map entries they index.</summary>
[SupportedOSPlatform("linux")]
public sealed class ProbeMarkTableTests
{
    private static ProbeRoute Route(string backend, ForwardingMode mode = ForwardingMode.Ipip) => new(IPAddress.Parse(backend), mode, null);

    [Fact]
    public void Routes_keep_their_marks_and_released_ones_are_reused_lowest_first()
    {
        var table = new ProbeMarkTable();
        Assert.Empty(table.Assign([Route("10.0.0.1"), Route("10.0.0.2"), Route("10.0.0.1")]));
        Assert.Equal(2, table.Current.Count);
        uint first = table.Current[Route("10.0.0.1")], second = table.Current[Route("10.0.0.2")];
        Assert.All(new[] { first, second }, mark => Assert.True(ProbeMarkTable.IsProbeMark(mark)));
        Assert.Equal(new[] { 0x4C420001u, 0x4C420002u }, new[] { first, second }.Order());

        IReadOnlyList<uint> released = table.Assign([Route("10.0.0.2"), Route("10.0.0.3"), Route("10.0.0.2", ForwardingMode.Gue)]);
        Assert.Equal([first], released);
        Assert.Equal(second, table.Current[Route("10.0.0.2")]);
        Assert.Equal(new[] { 0x4C420001u, 0x4C420002u, 0x4C420003u }, table.Current.Values.Order());
        Assert.False(ProbeMarkTable.IsProbeMark(0x4C430001));
    }

    [Fact]
    public void More_routes_than_marks_are_refused_and_change_nothing()
    {
        var table = new ProbeMarkTable();
        table.Assign([Route("10.0.0.1")]);
        IEnumerable<ProbeRoute> tooMany = Enumerable.Range(0, ProbeMarkTable.Capacity + 1)
            .Select(i => Route($"10.1.{i / 256}.{i % 256}"));
        var error = Assert.Throws<InvalidOperationException>(() => table.Assign(tooMany));
        Assert.Contains("at most 4095", error.Message);
        Assert.Single(table.Current);
    }

    [Fact]
    public void The_map_entry_has_the_layout_of_struct_probe_target()
    {
        Assert.Equal(48, Marshal.SizeOf<ProbeTargetEntry>());
        byte[] ipip = Bytes(ProbeTargetEntry.For(Route("10.0.0.7"), 6080));
        Assert.Equal(new byte[] { 1, 4, 0, 0, 10, 0, 0, 7 }, ipip[..8]);
        Assert.All(ipip[8..], b => Assert.Equal(0, b));

        byte[] gue = Bytes(ProbeTargetEntry.For(Route("fc00::7", ForwardingMode.Gue), 6080));
        Assert.Equal(new byte[] { 2, 6, 0x17, 0xC0, 0xfc, 0 }, gue[..6]);
        Assert.Equal(7, gue[19]);

        var mac = PhysicalAddress.Parse("02-00-00-00-00-0A");
        byte[] dsr = Bytes(ProbeTargetEntry.For(new ProbeRoute(IPAddress.Parse("10.0.0.7"), ForwardingMode.DsrL2, mac), 6080));
        Assert.Equal(3, dsr[0]);
        Assert.Equal(mac.GetAddressBytes(), dsr[36..42]);
    }

    [Fact]
    public void Nat_and_a_dsr_l2_route_without_a_mac_have_no_entry()
    {
        Assert.Throws<ArgumentException>(() => ProbeTargetEntry.For(Route("10.0.0.7", ForwardingMode.Nat), 6080));
        Assert.Throws<ArgumentException>(() => ProbeTargetEntry.For(Route("10.0.0.7", ForwardingMode.DsrL2), 6080));
    }

    private static byte[] Bytes(ProbeTargetEntry entry)
    {
        byte[] bytes = new byte[Marshal.SizeOf<ProbeTargetEntry>()];
        MemoryMarshal.Write(bytes, in entry);
        return bytes;
    }
}
