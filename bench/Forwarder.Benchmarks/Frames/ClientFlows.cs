using System.Net;

namespace Forwarder.Benchmarks.Frames;

/// <summary>Deterministic client frames: random clients (198.18.0.0/15, 2001:db8::/32), random source ports, payloads of 0–160 bytes.</summary>
internal static class ClientFlows
{
    public const int MaxPayload = 160;

    /// <summary>One frame from a random client to <paramref name="vip"/>; port 0 = a random destination port.</summary>
    public static byte[] To(Random random, string vip, bool tcp, ushort port)
    {
        IPAddress destination = IPAddress.Parse(vip);
        bool v6 = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        IPAddress client = v6 ? ClientV6(random) : ClientV4(random);
        ushort destinationPort = port == 0 ? (ushort)random.Next(1, 65536) : port;
        return FrameFactory.Build(client, destination, (ushort)random.Next(1024, 65536), destinationPort, tcp, random.Next(0, MaxPayload + 1));
    }

    /// <summary><paramref name="count"/> frames, each to one of <paramref name="targets"/> in turn.</summary>
    public static byte[][] Round(int seed, int count, params (string Vip, bool Tcp, ushort Port)[] targets)
    {
        var random = new Random(seed);
        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var (vip, tcp, port) = targets[i % targets.Length];
            frames[i] = To(random, vip, tcp, port);
        }
        return frames;
    }

    public static IPAddress ClientV4(Random random) =>
        new([198, (byte)(18 + random.Next(2)), (byte)random.Next(256), (byte)random.Next(1, 255)]);

    public static IPAddress ClientV6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
        return new IPAddress(bytes);
    }
}
