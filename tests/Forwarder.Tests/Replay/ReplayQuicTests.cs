using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Tests.LoadBalancing.Fixtures;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Replay;

/// <summary>
/// <c>forwarder replay</c> of QUIC traffic to a quic VIP: one connection migrating over client ports stays on the
/// backend of its server id, Initials follow Maglev, and the summary counts each outcome.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayQuicTests : IDisposable
{
    private const int Migrations = 20;
    private readonly ReplayWorkspace _workspace = new ReplayWorkspace().WithConfig(QuicFixtures.Yaml);

    [Fact]
    public void A_migrating_connection_reaches_the_backend_of_its_server_id_and_the_summary_counts_each_outcome()
    {
        byte[] cid = [0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00]; // v2, server id 0x030402: 10.0.5.3
        byte[] initial = [0xCF, 0xfa, 0xce, 0xb0, 0x01, 8, 0x41, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x11];
        var frames = new List<byte[]>();
        for (int i = 0; i < Migrations; i++)
            frames.Add(QuicFixtures.Frame(QuicFixtures.ShortHeader(cid), $"198.51.100.{i + 1}", (ushort)(20000 + 31 * i)));
        frames.Add(QuicFixtures.Frame(initial));
        frames.Add(QuicFixtures.Frame(QuicFixtures.ShortHeader(0x41, 0x11, 0, 0, 0, 0, 0, 0))); // Katran's unknown 1092
        frames.Add(QuicFixtures.Frame([0x40, 0x41]));                                           // truncated
        _workspace.WithInput(PcapFiles.Classic(frames.Select((f, i) => new PcapRecord(1_700_000_000u + (uint)i, 0, f, null)).ToArray()));

        ReplayOutcome outcome = _workspace.Run();

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        var output = _workspace.Output();
        Assert.Equal(frames.Count, output.Count);
        Assert.All(output.Take(Migrations), f => Assert.Equal(IPAddress.Parse("10.0.5.3"), new IPAddress(f.Data.AsSpan(30, 4))));
        JsonElement quic = outcome.Json.GetProperty("vips").EnumerateArray().Single(v => v.GetProperty("address").GetString() == QuicFixtures.Vip).GetProperty("quic");
        Assert.Equal(Migrations, quic.GetProperty("cid_routed").GetInt64());
        Assert.Equal(3, quic.GetProperty("maglev_routed").GetInt64());
        Assert.Equal(1, quic.GetProperty("initial").GetInt64());
        Assert.Equal(1, quic.GetProperty("unknown_server_id").GetInt64());
        Assert.Equal(Migrations, quic.GetProperty("cid_v2").GetInt64());
        Assert.False(outcome.Json.GetProperty("vips")[0].TryGetProperty("quic", out _), "a VIP without quic has no quic counts");
    }

    public void Dispose() => _workspace.Dispose();
}
