using System.Net;
using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.Tests.Hashing;
using Forwarder.Tests.LoadBalancing.Fixtures;
using Forwarder.Tests.Packets;
using Forwarder.Tests.Rewrite;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// A VIP's flows reach the backend a Katran built for that VIP's ring size would pick: Katran seeds its flow
/// hash with <c>MAX_VIPS × RING_SIZE</c> (512 × R). VIPs of five ring sizes, IPv4 and IPv6, are mixed frame
/// by frame in every batch, so the vector path hashes neighbouring lanes with different seeds. The expected
/// backend comes from <see cref="ReferenceFlowHash"/> (seed 512 × R) after Katran's hash flags (<see cref="ReferenceVipHash"/>:
/// no_source_port, dport_only, src_dst_port), not from the product's hashing code.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RingSeedTests
{
    private const int Frames = 4096;

    private static readonly string Config = ConfigBuilder.WithoutVips()
        .Vip("10.100.2.1", 80, "tcp", v => v.Backends("10.0.10.1", "10.0.10.2", "10.0.10.3"))
        .Vip("10.100.2.2", 80, "tcp", v => v.Maglev(ringSize: 655373).Backends("10.0.11.1", "10.0.11.2", "10.0.11.3"))
        .Vip("10.100.2.3", 80, "tcp", v => v.Maglev(ringSize: 1009).Backends("10.0.12.1", "10.0.12.2", "10.0.12.3"))
        .Vip("fc00::2:1", 80, "tcp", v => v.Maglev(ringSize: 655373, version: "v1").Backends("fc00::12:1", "fc00::12:2", "fc00::12:3"))
        .Vip("fc00::2:2", 80, "tcp", v => v.Maglev(ringSize: 1009).Backends("fc00::13:1", "fc00::13:2", "fc00::13:3"))
        .Vip("10.100.2.4", protocol: "tcp", configure: v => v.Flags("no_source_port").Maglev(ringSize: 13).Backends("10.0.14.1", "10.0.14.2", "10.0.14.3"))
        .Vip("10.100.2.5", protocol: "tcp", configure: v => v.Flags("dport_only").Maglev(ringSize: 1009).Backends("10.0.15.1", "10.0.15.2", "10.0.15.3"))
        .Vip("10.100.2.6", protocol: "tcp", configure: v => v.Flags("src_dst_port").Backends("10.0.16.1", "10.0.16.2", "10.0.16.3"))
        .Vip("10.100.2.7", 443, "tcp", v => v.Flags("dport_only").Backends("10.0.17.1", "10.0.17.2", "10.0.17.3"))
        .Vip("fc00::2:3", protocol: "tcp", configure: v => v.Flags("dport_only").Maglev(ringSize: 1009).Backends("fc00::14:1", "fc00::14:2", "fc00::14:3"))
        .Vip("fc00::2:4", protocol: "tcp", configure: v => v.Flags("src_dst_port").Backends("fc00::15:1", "fc00::15:2", "fc00::15:3"))
        .ToYaml();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_flow_reaches_the_backend_of_a_katran_built_for_its_vips_ring(bool scalar)
    {
        using var bed = new LoadBalancerBed(Config, scalar);
        VipTable[] tables = bed.Config.Vips.Select(VipTable.Build).ToArray();
        var random = new Random(655373);
        var frames = new byte[Frames][];
        var expected = new IPAddress[Frames];
        for (int n = 0; n < Frames; n++)
        {
            int vip = random.Next(tables.Length);
            VipTable table = tables[vip];
            bool v4 = table.Vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            byte[] client = new byte[v4 ? 4 : 16];
            random.NextBytes(client);
            client[0] = v4 ? (byte)192 : (byte)0x20; // unicast
            ushort clientPort = (ushort)random.Next(1, 0x10000), vipPort = table.Vip.Port == 0 ? (ushort)random.Next(1, 0x10000) : table.Vip.Port;
            string clientText = new IPAddress(client).ToString();
            frames[n] = Expect.Arriving((v4 ? FrameBuilder.Ipv4(clientText, table.Vip.Address.ToString()) : FrameBuilder.Ipv6(clientText, table.Vip.Address.ToString()))
                .Tcp(clientPort, vipPort).Build());
            int slot = ReferenceVipHash.Slot(table.Vip, client, clientPort, vipPort);
            expected[n] = table.Backends[table.Table!.Slots[slot]].Address;
        }

        ProcessedFrame[] results = bed.Run(frames);

        var wrong = new List<string>();
        for (int n = 0; n < Frames; n++)
        {
            Assert.Equal(DropReason.None, results[n].Verdict);
            IPAddress backend = new(Reparse.Parse(results[n].Output!).Packet.Destination.Bytes[..(expected[n].GetAddressBytes().Length)]);
            if (!backend.Equals(expected[n]))
                wrong.Add($"frame {n}: {backend}, Katran {expected[n]}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Frames} flows reached another backend than Katran's, e.g. {string.Join("; ", wrong.Take(5))}");
    }
}
