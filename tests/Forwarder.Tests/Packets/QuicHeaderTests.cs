using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Connection-id decoding against Katran's test vectors (katran/lib/testing/fixtures/KatranBaseTestFixtures.h,
/// server ids as KatranTestProvision maps them), and hostile headers that must decode to "no server id".
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class QuicHeaderTests
{
    private static byte[] Short(params byte[] cid) => [0x00, .. cid, 0x40];

    private static byte[] Long(byte flags, byte cidLength, params byte[] cid) => [flags, 0xfa, 0xce, 0xb0, 0x01, cidLength, .. cid, 0x00];

    [Theory]
    // Katran 30: short header, CID v1 {0x41,0x00,0x83,..} -> 1026
    [InlineData(new byte[] { 0x41, 0x00, 0x83, 0x04, 0x05, 0x06, 0x07, 0x00 }, 1, 1026u)]
    // Katran 31: v1 {0x41,0x11,0,..} -> 1092 (no mapping there)
    [InlineData(new byte[] { 0x41, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 1, 1092u)]
    // Katran 32: v1 host id 0 -> no server id
    [InlineData(new byte[] { 0x40, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00 }, 1, 0u)]
    // Katran 34: CID v2 {0x80,0x03,0x04,0x02,..} -> 0x030402 = 197634
    [InlineData(new byte[] { 0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00 }, 2, 197634u)]
    // Katran 35: v2 -> 197700 (no mapping there)
    [InlineData(new byte[] { 0x80, 0x03, 0x04, 0x44, 0x00, 0x00, 0x00, 0x00 }, 2, 197700u)]
    // v3: bytes 1..4
    [InlineData(new byte[] { 0xC0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 }, 3, 0x01020304u)]
    // v3 with the top bit set: Katran's int server id is negative, so none
    [InlineData(new byte[] { 0xC0, 0x80, 0x00, 0x00, 0x01, 0x05, 0x06, 0x07 }, 3, 0u)]
    // v0 carries no server id
    [InlineData(new byte[] { 0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, 0u)]
    public void A_short_header_decodes_as_katran_does(byte[] cid, int version, uint serverId)
    {
        QuicConnectionId read = QuicHeader.Read(Short(cid));

        Assert.Equal(QuicHeaderKind.ConnectionId, read.Kind);
        Assert.Equal(version, read.CidVersion);
        Assert.Equal(serverId, read.ServerId);
    }

    [Theory]
    [InlineData(0xEF)] // Katran 26: Handshake
    [InlineData(0xFF)] // Katran 27: Retry
    public void Handshake_and_retry_carry_the_server_id_in_the_destination_cid(byte flags)
    {
        QuicConnectionId read = QuicHeader.Read(Long(flags, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00));

        Assert.Equal(new QuicConnectionId(QuicHeaderKind.ConnectionId, 1, 1024), read);
    }

    [Theory]
    [InlineData(0xCF)] // Katran 24: Initial
    [InlineData(0xDF)] // Katran 25: 0-RTT
    [InlineData(0xC0)]
    [InlineData(0xD3)]
    public void Initial_and_0rtt_carry_the_clients_cid(byte flags)
    {
        QuicConnectionId read = QuicHeader.Read(Long(flags, 8, 0x41, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00));

        Assert.Equal(QuicHeaderKind.Initial, read.Kind);
        Assert.False(read.HasServerId);
    }

    [Fact]
    public void A_long_header_with_a_destination_cid_under_8_bytes_has_no_server_id()
    {
        Assert.Equal(default, QuicHeader.Read(Long(0xEF, 7, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00)));
    }

    [Fact]
    public void Katrans_short_header_without_a_connection_id_has_no_server_id()
    {
        // Katran 29: a one-byte payload.
        Assert.Equal(default, QuicHeader.Read([0x00]));
        Assert.Equal(default, QuicHeader.Read([]));
    }

    [Fact]
    public void Every_truncation_of_every_header_form_reads_without_throwing_and_never_invents_a_server_id()
    {
        byte[][] headers =
        [
            Short(0x41, 0x00, 0x83, 0x04, 0x05, 0x06, 0x07, 0x00),
            Long(0xEF, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00),
            Long(0xCF, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00),
        ];
        foreach (byte[] header in headers)
        {
            for (int length = 0; length < header.Length; length++)
            {
                QuicConnectionId read = QuicHeader.Read(header.AsSpan(0, length));
                bool whole = length >= ((header[0] & 0x80) == 0 ? 9 : 14);
                Assert.True(whole || read == default, $"{length} bytes of {Convert.ToHexString(header)} read as {read}");
            }
        }
    }

    [Fact]
    public void Random_payloads_decode_to_a_version_and_a_server_id_in_range()
    {
        var random = new Random(4242);
        var payload = new byte[32];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(payload);
            QuicConnectionId read = QuicHeader.Read(payload.AsSpan(0, random.Next(0, payload.Length + 1)));
            Assert.InRange(read.CidVersion, 0, 3);
            Assert.InRange(read.ServerId, 0u, QuicHeader.MaxServerIdOf(read.CidVersion));
        }
    }
}
