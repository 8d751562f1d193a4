using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TrafficGen.Frames;

namespace TrafficGen.Generation;

/// <summary>
/// User space's twin of bpf/trafficgen.c's per-copy rewrite, for the AF_XDP way of sending: writes the next
/// flow's source port and low 32 source-address bits into a frame that holds the template, with both
/// checksums updated from the template's values (RFC 1624), never read from the frame. Walks the flows in
/// the program's order: ports first, then the next source address.
/// </summary>
public sealed class FlowWriter
{
    private readonly GeneratorConfig _config;
    private readonly int _sourceLowOffset;
    private readonly int _l4Offset;
    private readonly int _l4ChecksumOffset;
    private readonly bool _isIPv6;
    private readonly bool _isUdp;
    private uint _portIndex;
    private uint _sourceIndex;

    public FlowWriter(FrameSpec spec, GeneratorConfig config)
    {
        _config = config;
        _sourceLowOffset = spec.SourceLowOffset;
        _l4Offset = spec.L4Offset;
        _l4ChecksumOffset = spec.L4ChecksumOffset;
        _isIPv6 = spec.IsIPv6;
        _isUdp = spec.Protocol == L4Protocol.Udp;
    }

    /// <summary>Rewrites <paramref name="frame"/> (a copy of the template) as the next flow.</summary>
    public void WriteNext(Span<byte> frame)
    {
        // Values as stored in the frame (network order), loaded in the machine's order, as the program does.
        ushort port = BinaryPrimitives.ReverseEndianness((ushort)(BinaryPrimitives.ReverseEndianness(_config.BaseSourcePort) + _portIndex));
        uint source = BinaryPrimitives.ReverseEndianness(BinaryPrimitives.ReverseEndianness(_config.BaseSourceLow) + _sourceIndex);
        if (++_portIndex >= _config.Ports)
        {
            _portIndex = 0;
            if (++_sourceIndex >= _config.Sources)
                _sourceIndex = 0;
        }

        MemoryMarshal.Write(frame[_sourceLowOffset..], in source);
        MemoryMarshal.Write(frame[_l4Offset..], in port);
        if (!_isIPv6)
        {
            ushort ip = Replace(_config.BaseIpChecksum, _config.BaseSourceLow, source, 0, 0);
            MemoryMarshal.Write(frame[(FrameSpec.EthernetHeaderLength + 10)..], in ip);
        }
        if (_isUdp && !_isIPv6 && _config.BaseL4Checksum == 0)
            return; // IPv4 UDP without a checksum stays without one
        ushort l4 = Replace(_config.BaseL4Checksum, _config.BaseSourceLow, source, _config.BaseSourcePort, port);
        if (_isUdp && l4 == 0)
            l4 = 0xffff; // 0 means "no checksum" for UDP
        MemoryMarshal.Write(frame[_l4ChecksumOffset..], in l4);
    }

    /// <summary>RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for a 32-bit and a 16-bit field changing at once.</summary>
    private static ushort Replace(ushort check, uint old32, uint new32, ushort old16, ushort new16)
    {
        uint sum = (ushort)~check;
        sum += (uint)(ushort)~(old32 & 0xffff) + (ushort)~(old32 >> 16);
        sum += (new32 & 0xffff) + (new32 >> 16);
        sum += (uint)(ushort)~old16 + new16;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
