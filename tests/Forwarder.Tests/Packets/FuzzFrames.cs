using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Deterministic frame generators for fuzzing the parser (fixed seeds): random bytes shaped just enough
/// to get past the Ethernet and IP version checks, mutations of valid and invalid fixture frames
/// (bit flips, interesting bytes and 16-bit values at header offsets, bytes appended), and random prefixes.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FuzzFrames
{
    public const int MaxLength = 320;

    private static readonly byte[] InterestingBytes = [0, 1, 4, 5, 6, 8, 0x0F, 17, 43, 44, 45, 58, 60, 0x40, 0x45, 0x46, 0x4F, 0x60, 0x7F, 0x80, 128, 0xFF];
    private static readonly ushort[] InterestingWords = [0, 1, 7, 8, 19, 20, 27, 28, 40, 0x2000, 0x4000, 0x3FFF, 0x0800, 0x86DD, 0x8100, 0x88A8, 0x7FFF, 0xFFFF];
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp, IpProtocol.Icmpv6, IpProtocol.HopByHopOptions,
        IpProtocol.Routing, IpProtocol.Fragment, IpProtocol.DestinationOptions, 47, 59];
    private static readonly ushort[] EtherTypes = [EtherType.Ipv4, EtherType.Ipv6, EtherType.Vlan, EtherType.ServiceVlan];

    private readonly Random _random;
    private readonly byte[][] _seeds;

    public FuzzFrames(int seed)
    {
        _random = new Random(seed);
        _seeds = ParserFixtures.All.Select(f => f.Frame).Where(f => f.Length is > 0 and <= MaxLength).ToArray();
    }

    /// <summary>Random bytes; usually a plausible Ethernet type, IP version, header length and total length, and protocol.</summary>
    public byte[] Random()
    {
        var frame = new byte[_random.Next(0, 200)];
        _random.NextBytes(frame);
        if (frame.Length < 14 || _random.Next(10) == 0)
            return frame;
        int l3 = 14;
        ushort etherType = Pick(EtherTypes);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        if (etherType is EtherType.Vlan or EtherType.ServiceVlan && frame.Length >= 18)
        {
            etherType = Pick(EtherTypes);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), etherType);
            l3 = 18;
        }
        Span<byte> ip = frame.AsSpan(l3);
        if (etherType == EtherType.Ipv4 && ip.Length >= 20 && _random.Next(5) != 0)
        {
            ip[0] = (byte)(0x40 | (_random.Next(3) == 0 ? _random.Next(16) : 5));
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(_random.Next(4) == 0 ? _random.Next(65536) : ip.Length));
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], (ushort)(_random.Next(2) == 0 ? 0x4000 : _random.Next(65536)));
            ip[9] = Pick(Protocols);
        }
        else if (etherType == EtherType.Ipv6 && ip.Length >= 40 && _random.Next(5) != 0)
        {
            ip[0] = (byte)(0x60 | ip[0] & 0x0F);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(_random.Next(4) == 0 ? _random.Next(65536) : ip.Length - 40));
            ip[6] = Pick(Protocols);
        }
        return frame;
    }

    /// <summary>A fixture frame with one to four mutations.</summary>
    public byte[] Mutated()
    {
        byte[] frame = Pick(_seeds);
        List<byte> bytes = [.. frame];
        int mutations = _random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = _random.Next(Math.Min(bytes.Count, 128));
            switch (_random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes[at] = Pick(InterestingBytes);
                    break;
                case 2 when at + 1 < bytes.Count:
                    ushort word = Pick(InterestingWords);
                    bytes[at] = (byte)(word >> 8);
                    bytes[at + 1] = (byte)word;
                    break;
                case 3:
                    bytes[at] = (byte)_random.Next(256);
                    break;
                default:
                    var tail = new byte[_random.Next(1, 41)];
                    _random.NextBytes(tail);
                    bytes.AddRange(tail);
                    break;
            }
        }
        return [.. bytes.Take(MaxLength)];
    }

    /// <summary>A random prefix of a fixture frame, mutated or not.</summary>
    public byte[] Truncated()
    {
        byte[] frame = _random.Next(2) == 0 ? Pick(_seeds) : Mutated();
        return frame[.._random.Next(frame.Length + 1)];
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
