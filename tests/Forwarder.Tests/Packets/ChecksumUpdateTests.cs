using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>RFC 1624 incremental updates equal full recomputation, over 100,000 random headers and changes of each kind.</summary>
[SupportedOSPlatform("linux")]
public sealed class ChecksumUpdateTests
{
    private const int Rounds = 100_000;

    private static ushort Load16(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<ushort>(bytes);

    private static uint Load32(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<uint>(bytes);

    [Fact]
    public void Rfc1624_boundary_example_gives_0000_like_recomputation()
    {
        // RFC 1624 §4: other fields sum to 0xCD7A, a field goes 0x5555 → 0x3285: HC = 0xDD2F, recomputation gives
        // ~(0xCD7A + 0x3285) = 0x0000, which eqn. 3 reproduces (eqn. 2 would give 0xFFFF).
        Assert.Equal(0x0000, ChecksumUpdate.Update16(0xDD2F, 0x5555, 0x3285));
    }

    [Fact]
    public void An_unchanged_field_leaves_every_computable_checksum_as_it_is()
    {
        // 0xFFFF never comes out of a computation over non-zero data (RFC 1624 §3).
        for (int checksum = 0; checksum < 0xFFFF; checksum++)
            Assert.Equal(checksum, ChecksumUpdate.Update16((ushort)checksum, 0x5555, 0x5555));
    }

    [Fact]
    public void Ipv4_header_fields_of_16_and_32_bits_update_like_recomputation()
    {
        var random = new Random(1624);
        for (int round = 0; round < Rounds; round++)
        {
            int words = random.Next(5, 16);
            var header = new byte[words * 4];
            random.NextBytes(header);
            header[0] = (byte)(0x40 | words);
            Checksum.WriteIpv4Header(header);
            ushort checksum = Load16(header.AsSpan(10));

            ushort updated;
            if (random.Next(2) == 0)
            {
                int at = 2 * random.Next(header.Length / 2 - 1);
                if (at >= 10)
                    at += 2; // any 16-bit word but the checksum itself
                ushort old = Load16(header.AsSpan(at));
                if (at == 0)
                    header[1] = (byte)random.Next(256); // keep the version and IHL byte
                else
                    random.NextBytes(header.AsSpan(at, 2));
                updated = ChecksumUpdate.Update16(checksum, old, Load16(header.AsSpan(at)));
            }
            else
            {
                int at = 4 * random.Next(1, words - 1);
                if (at >= 8)
                    at += 4; // any 32-bit word after the first but the one holding the checksum
                uint old = Load32(header.AsSpan(at));
                random.NextBytes(header.AsSpan(at, 4));
                updated = ChecksumUpdate.Update32(checksum, old, Load32(header.AsSpan(at)));
            }

            Assert.Equal(Checksum.Ipv4Header(header), updated);
        }
    }

    [Fact]
    public void Ttl_decrement_updates_like_recomputation()
    {
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        Checksum.WriteIpv4Header(header);
        for (int i = 0; i < 64; i++)
        {
            ushort checksum = Load16(header.AsSpan(10));
            ushort old = Load16(header.AsSpan(8));
            header[8]--;
            ushort updated = ChecksumUpdate.Update16(checksum, old, Load16(header.AsSpan(8)));
            MemoryMarshal.Write(header.AsSpan(10), in updated);
            Assert.Equal(Checksum.Ipv4Header(header), updated);
            Assert.True(Checksum.IsValid(header));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transport_checksums_update_like_recomputation_when_addresses_and_ports_change(bool v6)
    {
        var random = new Random(v6 ? 6 : 4);
        int addressLength = v6 ? 16 : 4;
        for (int round = 0; round < Rounds; round++)
        {
            byte protocol = random.Next(2) == 0 ? IpProtocol.Tcp : IpProtocol.Udp;
            byte[] source = new byte[addressLength], destination = new byte[addressLength], segment = new byte[random.Next(20, 120)];
            random.NextBytes(source);
            random.NextBytes(destination);
            random.NextBytes(segment);
            int checksumAt = protocol == IpProtocol.Tcp ? 16 : 6;
            segment[checksumAt] = segment[checksumAt + 1] = 0;
            ushort checksum = Compute(v6, source, destination, protocol, segment);

            // NAT-style: one address replaced, then possibly a port.
            byte[] address = random.Next(2) == 0 ? source : destination;
            WireAddress oldAddress = WireAddress.FromBytes(address);
            random.NextBytes(address);
            checksum = ChecksumUpdate.UpdateAddress(checksum, oldAddress, WireAddress.FromBytes(address), v6 ? IpVersion.V6 : IpVersion.V4);
            if (random.Next(2) == 0)
            {
                int port = 2 * random.Next(2);
                ushort oldPort = Load16(segment.AsSpan(port));
                random.NextBytes(segment.AsSpan(port, 2));
                checksum = ChecksumUpdate.Update16(checksum, oldPort, Load16(segment.AsSpan(port)));
            }

            Assert.Equal(Compute(v6, source, destination, protocol, segment), checksum);
        }
    }

    [Fact]
    public void Replacing_a_128_bit_address_updates_like_replacing_its_eight_words()
    {
        var random = new Random(128);
        for (int round = 0; round < 10_000; round++)
        {
            byte[] before = new byte[16], after = new byte[16];
            random.NextBytes(before);
            random.NextBytes(after);
            ushort checksum = (ushort)random.Next(0xFFFF);
            ushort wordByWord = checksum;
            for (int i = 0; i < 16; i += 2)
                wordByWord = ChecksumUpdate.Update16(wordByWord, Load16(before.AsSpan(i)), Load16(after.AsSpan(i)));

            Assert.Equal(wordByWord, ChecksumUpdate.Update128(checksum, WireAddress.FromBytes(before), WireAddress.FromBytes(after)));
        }
    }

    private static ushort Compute(bool v6, byte[] source, byte[] destination, byte protocol, byte[] segment)
    {
        WireAddress s = WireAddress.FromBytes(source), d = WireAddress.FromBytes(destination);
        return v6
            ? ChecksumPseudoHeader.ComputeV6(s, d, protocol, segment)
            : ChecksumPseudoHeader.ComputeV4(s.V4, d.V4, protocol, segment);
    }
}
