using System.Net;
using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>Backend sets used by the Maglev tests.</summary>
[SupportedOSPlatform("linux")]
internal static class TestBackends
{
    /// <summary>Backends 10.a.b.c with ids 0..count-1; address i is 10.(1 + i / 65536).(i / 256 % 256).(i % 256).</summary>
    public static MaglevEndpoint[] Ipv4(int count, Func<int, uint>? weight = null) =>
        Enumerable.Range(0, count)
            .Select(i => MaglevEndpoint.ForAddress(i, Address(i), weight?.Invoke(i) ?? 1))
            .ToArray();

    public static IPAddress Address(int i) =>
        new(new byte[] { 10, (byte)(1 + i / 65536), (byte)(i / 256 % 256), (byte)(i % 256) });

    /// <summary>The same endpoints in a shuffled order.</summary>
    public static MaglevEndpoint[] Shuffled(MaglevEndpoint[] endpoints, int seed)
    {
        var copy = (MaglevEndpoint[])endpoints.Clone();
        new Random(seed).Shuffle(copy);
        return copy;
    }

    public static MaglevTable BuildOrFail(MaglevEndpoint[] endpoints, MaglevVersion version, int ringSize = MaglevRingSize.Default) =>
        MaglevBuilder.Build(endpoints, version, ringSize) ?? throw new InvalidOperationException("Expected a table.");
}
