using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Decap;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// decap.c run by the kernel over packet fixtures (BPF_PROG_RUN): the bytes that come out, the
/// verdict (always XDP_PASS) and the one counter each frame lands in. Covers what a veth cannot
/// carry here (VLAN tags: this kernel has no 8021q) and the frames decap must leave alone.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DecapProgramTests
{
    private const uint XdpPass = 2;
    private const ushort GuePort = 6080;
    private const ushort Ieee8021Q = 0x8100;
    private const ushort Ieee8021AD = 0x88A8;

    private static readonly byte[] DestinationMac = [0x02, 0, 0, 0, 0, 0x02];
    private static readonly byte[] SourceMac = [0x02, 0, 0, 0, 0, 0x01];
    private static readonly IPEndPoint ClientEndpoint = new(Client, 40000);
    private static readonly IPEndPoint VipEndpoint = new(Vip, 5000);
    private static readonly IPEndPoint ClientEndpoint6 = new(Client6, 40000);
    private static readonly IPEndPoint VipEndpoint6 = new(Vip6, 5000);

    [RootFact]
    public void Every_fixture_comes_out_as_expected_and_is_counted_once()
    {
        RootGuard.Require();
        using XdpProgram program = Load(GuePort, anyDestination: false, BackendAddress, BackendAddress6);
        BpfMap counters = program.GetMap(DecapProgram.CountersMap);
        var failures = new List<string>();
        foreach (DecapFixture fixture in Fixtures())
        {
            ulong[] before = ReadCounters(counters);
            (uint verdict, byte[] output) = ProgramTestRun.Run(program.ProgramFd, fixture.Input);
            ulong[] after = ReadCounters(counters);
            string[] moved = Enumerable.Range(0, before.Length).Where(i => after[i] != before[i])
                .Select(i => $"{CounterName(i)} +{after[i] - before[i]}").ToArray();
            if (verdict != XdpPass)
                failures.Add($"{fixture.Name}: verdict {verdict}, not XDP_PASS");
            if (!output.AsSpan().SequenceEqual(fixture.ExpectedOutput))
                failures.Add($"{fixture.Name}: output\n  {Convert.ToHexString(output)}\nexpected\n  {Convert.ToHexString(fixture.ExpectedOutput)}");
            if (moved.Length != 1 || moved[0] != $"{fixture.Counter} +1")
                failures.Add($"{fixture.Name}: counters moved [{string.Join(", ", moved)}], expected [{fixture.Counter} +1]");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [RootFact]
    public void With_gue_off_a_gue_packet_is_ordinary_udp()
    {
        RootGuard.Require();
        using XdpProgram program = Load(guePort: 0, anyDestination: false, BackendAddress);
        byte[] frame = Frame(Gue(OuterSource, BackendAddress, V4Inner()));
        (uint verdict, byte[] output) = ProgramTestRun.Run(program.ProgramFd, frame);
        Assert.Equal(XdpPass, verdict);
        Assert.Equal(frame, output);
        Assert.Equal(1ul, program.GetMap(DecapProgram.CountersMap).SumPerCpu((uint)DecapCounterSlot.Passed));
    }

    [RootFact]
    public void With_any_destination_the_outer_address_is_not_checked()
    {
        RootGuard.Require();
        using XdpProgram program = Load(GuePort, anyDestination: true);
        byte[] inner = V6Inner();
        (uint verdict, byte[] output) = ProgramTestRun.Run(program.ProgramFd, Frame(FrameBuilder.Ip(OuterSource6, IPAddress.Parse("fd77::99")).Ipip(inner).BuildIpPacket()));
        Assert.Equal(XdpPass, verdict);
        Assert.Equal(Frame(inner), output);
    }

    private static IEnumerable<DecapFixture> Fixtures()
    {
        byte[] v4 = V4Inner();
        byte[] v6 = V6Inner();
        yield return Stripped("ipv4 in ipv4", FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4).BuildIpPacket(), v4, "decapsulated_ipip");
        yield return Stripped("ipv6 in ipv6", FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(v6).BuildIpPacket(), v6, "decapsulated_ipip");
        yield return Stripped("ipv4 in ipv6", FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(v4).BuildIpPacket(), v4, "decapsulated_ipip");
        yield return Stripped("ipv6 in ipv4", FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v6).BuildIpPacket(), v6, "decapsulated_ipip");
        yield return Stripped("gue ipv4 in ipv4", Gue(OuterSource, BackendAddress, v4), v4, "decapsulated_gue");
        yield return Stripped("gue ipv6 in ipv6", Gue(OuterSource6, BackendAddress6, v6), v6, "decapsulated_gue");
        yield return Stripped("gue ipv6 in ipv4", Gue(OuterSource, BackendAddress, v6), v6, "decapsulated_gue");
        yield return Stripped("gue ipv4 in ipv6", Gue(OuterSource6, BackendAddress6, v4), v4, "decapsulated_gue");
        yield return Stripped("outer ipv4 with options", WithOptions(FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4).BuildIpPacket()), v4, "decapsulated_ipip");
        yield return new DecapFixture("802.1Q tag kept, inner ethertype set",
            Tagged(Frame(FrameBuilder.Ip(OuterSource6, BackendAddress6).Ipip(v4).BuildIpPacket()), Ieee8021Q), Tagged(Frame(v4), Ieee8021Q), "decapsulated_ipip");
        yield return new DecapFixture("802.1ad tag kept, inner ethertype set",
            Tagged(Frame(Gue(OuterSource, BackendAddress, v6)), Ieee8021AD), Tagged(Frame(v6), Ieee8021AD), "decapsulated_gue");
        yield return new DecapFixture("ethernet padding after the inner packet is kept",
            Frame([.. FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4).BuildIpPacket(), .. new byte[6]]), Frame([.. v4, .. new byte[6]]), "decapsulated_ipip");

        yield return DecapFixture.Untouched("outer destination not accepted",
            Frame(FrameBuilder.Ip(OuterSource, IPAddress.Parse("10.77.0.99")).Ipip(v4).BuildIpPacket()), "not_accepted");
        yield return DecapFixture.Untouched("gue to a destination not accepted",
            Frame(Gue(OuterSource6, IPAddress.Parse("fd77::99"), v6)), "not_accepted");
        yield return DecapFixture.Untouched("gue variant 0 (a GUE header)",
            Frame(Gue(OuterSource, BackendAddress, [0x00, 0x04, 0x00, 0x00, .. v4])), "unsupported");
        yield return DecapFixture.Untouched("ipip fragment", Frame(AsFragment(FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4).BuildIpPacket())), "unsupported");
        yield return DecapFixture.Untouched("udp fragment", Frame(AsFragment(Gue(OuterSource, BackendAddress, v4))), "passed");
        yield return DecapFixture.Untouched("inner packet longer than the frame",
            Frame(FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4.AsSpan(0, v4.Length - 4)).BuildIpPacket()), "malformed");
        yield return DecapFixture.Untouched("protocol 4 around an ipv6 packet", Frame(FrameBuilder.Ip(OuterSource, BackendAddress).Transport(FrameBuilder.IpInIp, v6).BuildIpPacket()), "malformed");
        yield return DecapFixture.Untouched("gue payload that is not an ip packet",
            Frame(Gue(OuterSource, BackendAddress, "FWTS-not-an-ip-packet-at-all"u8.ToArray())), "malformed");
        yield return DecapFixture.Untouched("truncated outer ipv4 header", Frame(FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(v4).BuildIpPacket())[..24], "malformed");
        yield return DecapFixture.Untouched("plain udp", Frame(v4), "passed");
        yield return DecapFixture.Untouched("udp to another port", Frame(FrameBuilder.Ip(OuterSource, BackendAddress).Udp(1, 53, v4).BuildIpPacket()), "passed");
        yield return DecapFixture.Untouched("arp", Arp(), "passed");
    }

    private static XdpProgram Load(ushort guePort, bool anyDestination, params IPAddress[] destinations)
    {
        XdpProgram program = XdpProgram.Load(DecapProgram.DefaultObjectPath, DecapProgram.KernelName);
        program.GetMap(DecapProgram.ConfigMap).Update(0u, DecapSettings.Create(guePort, anyDestination));
        foreach (IPAddress destination in destinations)
            program.GetMap(DecapProgram.DestinationsMap).Update(DecapDestinationKey.From(destination), 1u);
        return program;
    }

    private static ulong[] ReadCounters(BpfMap counters) =>
        Enumerable.Range(0, (int)DecapCounterSlot.Count).Select(slot => counters.SumPerCpu((uint)slot)).ToArray();

    private static string CounterName(int slot) => new DecapCounters(0, 0, 0, 0, 0, 0).Named().ElementAt(slot).Name;

    private static DecapFixture Stripped(string name, byte[] outer, byte[] inner, string counter) => new(name, Frame(outer), Frame(inner), counter);

    private static byte[] V4Inner() => FrameBuilder.Ip(ClientEndpoint.Address, VipEndpoint.Address)
        .Udp((ushort)ClientEndpoint.Port, (ushort)VipEndpoint.Port, "inner ipv4 datagram"u8).BuildIpPacket();

    private static byte[] V6Inner() => FrameBuilder.Ip(ClientEndpoint6.Address, VipEndpoint6.Address)
        .Udp((ushort)ClientEndpoint6.Port, (ushort)VipEndpoint6.Port, "inner ipv6 datagram"u8).BuildIpPacket();

    private static byte[] Gue(IPAddress outerSource, IPAddress outerDestination, byte[] inner) =>
        FrameBuilder.Ip(outerSource, outerDestination).Gue(51234, GuePort, inner).BuildIpPacket();

    private static byte[] Frame(byte[] ipPacket) => FrameBuilder.Ethernet(DestinationMac, SourceMac, ipPacket);

    /// <summary>The frame with a VLAN tag (id 100) between the MAC addresses and the ethertype.</summary>
    private static byte[] Tagged(byte[] frame, ushort tagProtocol)
    {
        var tag = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tag, tagProtocol);
        BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(2), 100);
        return [.. frame.AsSpan(0, 12), .. tag, .. frame.AsSpan(12)];
    }

    /// <summary>An IPv4 packet with 4 bytes of options (NOPs) in its header.</summary>
    private static byte[] WithOptions(byte[] ipv4)
    {
        byte[] packet = [.. ipv4.AsSpan(0, 20), 1, 1, 1, 1, .. ipv4.AsSpan(20)];
        packet[0] = 0x46;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        return WithHeaderChecksum(packet);
    }

    /// <summary>The IPv4 packet as a first fragment (more fragments follow).</summary>
    private static byte[] AsFragment(byte[] ipv4)
    {
        byte[] packet = [.. ipv4];
        packet[6] = 0x20;
        return WithHeaderChecksum(packet);
    }

    private static byte[] WithHeaderChecksum(byte[] packet)
    {
        int headerLength = (packet[0] & 0x0F) * 4;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferenceChecksum.Compute(packet.AsSpan(0, headerLength)));
        return packet;
    }

    private static byte[] Arp()
    {
        var frame = new byte[42];
        Enumerable.Repeat((byte)0xFF, 6).ToArray().CopyTo(frame, 0);
        SourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), 1);      // Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 0x0800); // IPv4
        frame[18] = 6;
        frame[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(20), 1);      // request
        SourceMac.CopyTo(frame, 22);
        LbAddress.GetAddressBytes().CopyTo(frame, 28);
        BackendAddress.GetAddressBytes().CopyTo(frame, 38);
        return frame;
    }
}
