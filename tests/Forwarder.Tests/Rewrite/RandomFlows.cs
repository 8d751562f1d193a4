using System.Net;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>Deterministic random packet shapes, addresses and ports for the rewrite property tests.</summary>
[SupportedOSPlatform("linux")]
internal sealed class RandomFlows(int seed)
{
    private readonly Random _random = new(seed);

    public int Next(int minValue, int maxValue) => _random.Next(minValue, maxValue);

    public int Next(int maxValue) => _random.Next(maxValue);

    public bool Coin() => _random.Next(2) == 0;

    public IpVersion Version() => Coin() ? IpVersion.V4 : IpVersion.V6;

    /// <summary>A random shape of <paramref name="version"/>; IP packets up to about 1500 bytes, padding on a quarter of them.</summary>
    public FlowShape Shape(IpVersion version)
    {
        ushort tpid = _random.Next(3) switch { 0 => 0x8100, 1 => 0x88A8, _ => 0 };
        return new FlowShape(
            version,
            Tcp: Coin(),
            Tpid: tpid,
            Tci: (ushort)_random.Next(0x10000),
            Ipv4OptionWords: _random.Next(3) == 0 ? _random.Next(1, 11) : 0,
            Ipv6Extensions: _random.Next(3) == 0 ? _random.Next(1, 4) : 0,
            DontFragment: _random.Next(4) != 0,
            TrafficClass: (byte)_random.Next(256),
            HopLimit: (byte)_random.Next(1, 256),
            TcpOptionWords: _random.Next(11),
            Payload: _random.Next(4) == 0 ? _random.Next(0, 8) : _random.Next(0, 1400),
            Padding: _random.Next(4) == 0 ? _random.Next(1, 40) : 0);
    }

    public string Address(IpVersion version)
    {
        var bytes = new byte[version == IpVersion.V4 ? 4 : 16];
        _random.NextBytes(bytes);
        return new IPAddress(bytes).ToString();
    }

    public ushort Port() => (ushort)_random.Next(1, 0x10000);

    public uint Hash() => (uint)_random.NextInt64(0, 1L << 32);
}
