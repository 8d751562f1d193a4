using System.Net;
using System.Runtime.Versioning;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.LoadBalancing.LoadBalancerConfigs;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>Deterministic random client flows to the VIPs of <see cref="LoadBalancerConfigs.All"/> (and a few to nothing).</summary>
[SupportedOSPlatform("linux")]
internal static class RandomFlows
{
    private static readonly (string Vip, bool Tcp, ushort Port, bool V6)[] Targets =
    [
        (IpipV4, true, 80, false), (GueAnyPort, false, 0, false), (DsrL2, false, 53, false), (Nat, true, 80, false),
        (IpipV6, true, 443, true), (IpipV4InV6, false, 80, false), (SmallRing, false, 80, false), (Mixed, false, 0, false),
        (NoBackends, true, 80, false), ("10.100.0.99", true, 80, false),
    ];

    public static byte[][] Frames(int seed, int count)
    {
        var random = new Random(seed);
        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var (vip, tcp, port, v6) = Targets[random.Next(Targets.Length)];
            ushort destinationPort = port == 0 ? (ushort)random.Next(1, 65536) : port;
            ushort sourcePort = (ushort)random.Next(1024, 65536);
            FrameBuilder builder = v6
                ? FrameBuilder.Ipv6(RandomV6(random), vip)
                : FrameBuilder.Ipv4(RandomV4(random), vip);
            if (random.Next(8) == 0)
                builder.Vlan((ushort)random.Next(1, 4095));
            frames[i] = (tcp ? builder.Tcp(sourcePort, destinationPort, payload: random.Next(0, 200)) : builder.Udp(sourcePort, destinationPort, payload: random.Next(0, 200))).Build();
        }
        return frames;
    }

    private static string RandomV4(Random random) => new IPAddress(random.NextInt64(0x01000000, 0xDFFFFFFF) is var a ? (uint)a : 0).ToString();

    private static string RandomV6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        return new IPAddress(bytes).ToString();
    }
}
