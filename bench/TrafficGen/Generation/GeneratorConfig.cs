using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TrafficGen.Frames;

namespace TrafficGen.Generation;

/// <summary>
/// <c>struct gen_config</c> of bpf/trafficgen.c (20 bytes): how many flows to walk and the template's
/// values of every field the program rewrites. Address, port and checksums are kept as stored in the
/// frame (network order), which is what the program's checksum arithmetic expects.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct GeneratorConfig
{
    public uint Ports;
    public uint Sources;
    public uint BaseSourceLow;
    public ushort BaseSourcePort;
    public ushort BaseIpChecksum;
    public ushort BaseL4Checksum;
    public ushort Padding;

    /// <summary>Reads the base values out of the template frame built for <paramref name="spec"/>.</summary>
    public static GeneratorConfig For(FrameSpec spec, ReadOnlySpan<byte> frame, FlowPlan flows) => new()
    {
        Ports = flows.Ports,
        Sources = flows.Sources,
        BaseSourceLow = MemoryMarshal.Read<uint>(frame[spec.SourceLowOffset..]),
        BaseSourcePort = MemoryMarshal.Read<ushort>(frame[spec.L4Offset..]),
        BaseIpChecksum = spec.IsIPv6 ? (ushort)0 : MemoryMarshal.Read<ushort>(frame[(FrameSpec.EthernetHeaderLength + 10)..]),
        BaseL4Checksum = MemoryMarshal.Read<ushort>(frame[spec.L4ChecksumOffset..]),
    };

    /// <summary>Flows must not wrap the source port or the low 32 bits of the source address.</summary>
    public static void CheckFits(FrameSpec spec, ReadOnlySpan<byte> frame, FlowPlan flows)
    {
        if (spec.SourcePort + (long)flows.Ports - 1 > ushort.MaxValue)
            throw new ArgumentException($"{flows.Ports} source ports from {spec.SourcePort} go past 65535: lower --src-port or raise --sources");
        uint low = BinaryPrimitives.ReadUInt32BigEndian(frame[spec.SourceLowOffset..]);
        if (low + (ulong)flows.Sources - 1 > uint.MaxValue)
            throw new ArgumentException($"{flows.Sources} source addresses from {spec.Source} wrap around: pick a lower --src");
    }
}
