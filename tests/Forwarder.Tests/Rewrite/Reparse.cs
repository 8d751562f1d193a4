using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>Reading rewritten frames back: with the production parser, and after removing an encapsulation as a backend would.</summary>
[SupportedOSPlatform("linux")]
internal static class Reparse
{
    public static (DropReason Verdict, ParsedPacket Packet) Parse(byte[] frame)
    {
        DropReason verdict = PacketParser.Parse(frame, out ParsedPacket packet);
        return (verdict, packet);
    }

    /// <summary>
    /// <paramref name="frame"/> without the <paramref name="outerLength"/> bytes of outer headers after its
    /// Ethernet header (<paramref name="l3"/> bytes), its Ethernet type set to the inner packet's family.
    /// </summary>
    public static byte[] Decapsulate(byte[] frame, int l3, int outerLength)
    {
        byte[] inner = [.. frame.AsSpan(0, l3), .. frame.AsSpan(l3 + outerLength)];
        bool v4 = inner[l3] >> 4 == 4;
        inner[l3 - 2] = v4 ? (byte)0x08 : (byte)0x86;
        inner[l3 - 1] = v4 ? (byte)0x00 : (byte)0xDD;
        return inner;
    }

    /// <summary>Asserts equal bytes, printing both in hex only when they differ.</summary>
    public static void AssertSameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string context)
    {
        if (!expected.SequenceEqual(actual))
            Assert.Fail($"{context}\nexpected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(actual)}");
    }

    /// <summary>Asserts two parses agree on every field, showing both when they do not.</summary>
    public static void AssertSameFields(in ParsedPacket expected, in ParsedPacket actual, string context)
    {
        string want = ParsedPacketText.Describe(expected), got = ParsedPacketText.Describe(actual);
        if (want != got)
            Assert.Fail($"{context}\nexpected {want}\nactual   {got}");
    }
}
