using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Replay;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Replay.ReplayConfigs;

namespace Forwarder.Tests.Replay;

/// <summary><c>forwarder replay</c> end to end: a configuration and a capture in, the transmitted frames and a summary that accounts for every frame out.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayCommandTests : IDisposable
{
    private const int Flows = 30;
    private static readonly byte[] OwnMac = [0x02, 0, 0, 0, 0, 0x0a];
    private readonly ReplayWorkspace _workspace = new ReplayWorkspace().WithConfig(IpipAndNat);

    /// <summary>30 flows to the ipip VIP, then one frame of each other outcome; the first record of each second is frame 0, and so on.</summary>
    private static PcapRecord[] Traffic()
    {
        var frames = new List<(byte[] Data, uint? Original)>();
        for (int i = 0; i < Flows; i++)
            frames.Add((FrameBuilder.Ipv4(Client, IpipVip).Tcp((ushort)(1000 + i), 80, payload: i).Build(), null));
        frames.Add((FrameBuilder.Ipv4(Client, IpipVip).Udp(1000, 80).Build(), null));                                   // 30: unknown_vip (tcp only)
        frames.Add((new byte[10], null));                                                                                  // 31: frame_too_short
        frames.Add((FrameBuilder.Ipv4(Client, IpipVip).Icmp(8, 0, new byte[8]).Build(), null));                          // 32: echo reply
        frames.Add((FrameBuilder.Ipv4(Client, IpipVip).Udp(1000, 80, payload: 5000).Build(), null));                     // 33: too_long_for_frame
        frames.Add((FrameBuilder.Ipv4(Client, NatVip).Tcp(2000, 80).Build(), null));                                     // 34: nat to the backend
        frames.Add((FrameBuilder.Ipv4(NatBackend, Client).Tcp(8080, 2000).Build(), null));                               // 35: nat reply
        byte[] cut = FrameBuilder.Ipv4(Client, IpipVip).Tcp(3000, 80).Build();
        frames.Add((cut[..40], (uint)cut.Length));                                                                         // 36: captured short: truncated
        frames.Add((FrameBuilder.Ipv4(Client, IpipVip).Tcp(4000, 80, payload: 1460).Build(), null));                     // 37: too big: ICMP answer
        return frames.Select((f, i) => new PcapRecord(1_700_000_000u + (uint)i, (uint)i * 10, f.Data, f.Original)).ToArray();
    }

    [Fact]
    public void Every_frame_is_transmitted_or_dropped_by_name_and_the_json_summary_says_so()
    {
        _workspace.WithInput(PcapFiles.Classic(Traffic()));

        ReplayOutcome outcome = _workspace.Run(ownMac: "02:00:00:00:00:0a");

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        JsonElement json = outcome.Json;
        Assert.Equal(38, json.GetProperty("frames_in").GetInt64());
        Assert.Equal(Flows + 4, json.GetProperty("transmitted").GetInt64());
        Assert.Equal(4, json.GetProperty("dropped").GetInt64());
        JsonElement drops = json.GetProperty("drops");
        Assert.Equal(1, drops.GetProperty("unknown_vip").GetInt64());
        Assert.Equal(1, drops.GetProperty("frame_too_short").GetInt64());
        Assert.Equal(1, drops.GetProperty("truncated").GetInt64());
        Assert.Equal(1, drops.GetProperty("too_long_for_frame").GetInt64());
        Assert.Equal(4, drops.EnumerateObject().Sum(d => d.Value.GetInt64()));
        Assert.Equal(1, json.GetProperty("truncated_records").GetInt64());
        JsonElement answers = json.GetProperty("answers");
        Assert.Equal(1, answers.GetProperty("echo_replies").GetInt64());
        Assert.Equal(1, answers.GetProperty("too_big_answered").GetInt64());
        Assert.Equal(1, answers.GetProperty("nat_replies").GetInt64());
        Assert.Equal(_workspace.Output().Count, json.GetProperty("transmitted").GetInt64());
    }

    [Fact]
    public void Each_backend_s_count_matches_the_frames_written_to_it()
    {
        PcapRecord[] traffic = Traffic();
        _workspace.WithInput(PcapFiles.Classic(traffic));

        ReplayOutcome outcome = _workspace.Run();

        var output = _workspace.Output();
        JsonElement vip = outcome.Json.GetProperty("vips")[0];
        Assert.Equal(IpipVip, vip.GetProperty("address").GetString());
        Assert.Equal(80, vip.GetProperty("port").GetInt32());
        Assert.Equal("tcp", vip.GetProperty("protocol").GetString());
        Assert.Equal("ipip", vip.GetProperty("mode").GetString());
        Assert.Equal(Flows, vip.GetProperty("packets").GetInt64());
        Assert.Equal(traffic[..Flows].Sum(r => (long)r.Data.Length), vip.GetProperty("bytes").GetInt64());
        var written = output.Take(Flows).GroupBy(f => new IPAddress(f.Data.AsSpan(30, 4)).ToString()).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (JsonElement backend in vip.GetProperty("backends").EnumerateArray())
            Assert.Equal(written.GetValueOrDefault(backend.GetProperty("address").GetString()!), backend.GetProperty("packets").GetInt64());
        Assert.Equal(IpipBackends.Order(), vip.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("address").GetString()!).Order());
        Assert.True(written.Count > 1, "30 flows should reach more than one of three backends");
    }

    [Fact]
    public void The_output_keeps_input_order_and_timestamps_and_carries_each_rewrite()
    {
        PcapRecord[] traffic = Traffic();
        _workspace.WithInput(PcapFiles.Classic(traffic));

        Assert.Equal(0, _workspace.Run(ownMac: "02:00:00:00:00:0a").ExitCode);

        var output = _workspace.Output();
        int[] transmittedRecords = [.. Enumerable.Range(0, Flows), 32, 34, 35, 37];
        Assert.Equal(transmittedRecords.Select(r => new PcapTimestamp(1_700_000_000 + r, (uint)r * 10_000)), output.Select(f => f.Frame.Timestamp));
        for (int i = 0; i < Flows; i++)
        {
            byte[] frame = output[i].Data;
            Assert.Equal(RouterMac, frame[..6]);
            Assert.Equal(OwnMac, frame[6..12]);
            Assert.Equal(4, frame[23]);                                               // outer protocol: IP in IP
            Assert.Equal(traffic[i].Data[14..], frame[34..]);                          // the inner packet, unchanged
        }
        Assert.Equal(0, output[Flows].Data[34]);                                        // echo reply
        Assert.Equal(IPAddress.Parse(NatBackend), new IPAddress(output[Flows + 1].Data.AsSpan(30, 4)));
        Assert.Equal(8080, BinaryPrimitives.ReadUInt16BigEndian(output[Flows + 1].Data.AsSpan(36)));
        Assert.Equal(IPAddress.Parse(NatVip), new IPAddress(output[Flows + 2].Data.AsSpan(26, 4)));
        Assert.Equal([3, 4], output[Flows + 3].Data[34..36]);                           // fragmentation needed
    }

    [Fact]
    public void The_text_summary_names_every_drop_reason_seen_and_the_truncated_records()
    {
        _workspace.WithInput(PcapFiles.Classic(Traffic()));

        string text = _workspace.Run(json: false).Output;

        Assert.StartsWith($"replay {_workspace.InputPath} -> {_workspace.OutputPath} with {_workspace.ConfigPath}: 38 frame(s) in (", text);
        Assert.Contains("34 transmitted (", text);
        Assert.Contains("  dropped unknown_vip: 1\n", text);
        Assert.Contains("  dropped too_long_for_frame: 1\n", text);
        Assert.DoesNotContain("no_backend", text);
        Assert.Contains("  note: 1 record(s) were captured shorter than they were on the wire (snap length) and were replayed as captured\n", text);
        Assert.Contains("  vip 10.100.0.1:80/tcp ipip: 30 packet(s), ", text);
        Assert.Contains("    backend 10.0.0.1: ", text);
        Assert.Contains("  answers: 1 echo reply(ies), 1 ICMP too-big answer(s), 1 nat reply(ies)\n", text);
        Assert.DoesNotContain("{", text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    public void The_batch_size_changes_nothing_but_the_number_of_batches(int batchSize)
    {
        _workspace.WithInput(PcapFiles.Classic(Traffic()));
        _workspace.Run();
        byte[] reference = File.ReadAllBytes(_workspace.OutputPath);

        ReplayOutcome outcome = _workspace.Run(batchSize: batchSize);

        Assert.Equal(reference, File.ReadAllBytes(_workspace.OutputPath));
        Assert.Equal((37 + batchSize - 1) / batchSize, outcome.Json.GetProperty("batches").GetInt64()); // the too-long frame takes no place
    }

    public void Dispose() => _workspace.Dispose();
}
