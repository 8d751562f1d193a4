using System.Runtime.Versioning;

namespace Forwarder.Tests.Rewrite;

[SupportedOSPlatform("linux")]
internal static class Frames
{
    /// <summary>A copy of <paramref name="frame"/> with other destination and source MACs.</summary>
    public static byte[] WithMacs(byte[] frame, byte[] destination, byte[] source)
    {
        byte[] copy = [.. frame];
        destination.CopyTo(copy, 0);
        source.CopyTo(copy, 6);
        return copy;
    }

    /// <summary>A copy of <paramref name="frame"/> going out to the next hop from our own MAC.</summary>
    public static byte[] ToNextHop(byte[] frame) => WithMacs(frame, TestMacs.NextHop, TestMacs.Own);

    /// <summary>A copy of <paramref name="frame"/> with its two MACs swapped.</summary>
    public static byte[] MacsSwapped(byte[] frame) => WithMacs(frame, frame[6..12], frame[..6]);
}
