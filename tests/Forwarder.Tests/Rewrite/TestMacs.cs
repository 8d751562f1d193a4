using System.Runtime.Versioning;
using Forwarder.Rewrite;

namespace Forwarder.Tests.Rewrite;

/// <summary>The MACs rewritten frames go out with: to the next hop (a backend or the router), from our own interface.</summary>
[SupportedOSPlatform("linux")]
internal static class TestMacs
{
    public static readonly byte[] NextHop = [0x02, 0xBB, 0x00, 0x00, 0x00, 0x07];
    public static readonly byte[] Own = [0x02, 0xAA, 0x00, 0x00, 0x00, 0x01];

    public static EthernetAddresses ToNextHop => new(NextHop, Own);
}
