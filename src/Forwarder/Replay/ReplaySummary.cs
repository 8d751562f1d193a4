using System.Globalization;
using System.Net;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.ControlPlane;

namespace Forwarder.Replay;

/// <summary>
/// The outcome of <c>forwarder replay</c>: frames in, transmitted and dropped by reason, what each VIP and
/// backend forwarded and the answers given — printed for an operator, or as one snake_case JSON object.
/// </summary>
public sealed record ReplaySummary(
    string Config,
    string Input,
    string Output,
    long FramesIn,
    long BytesIn,
    long Transmitted,
    long TransmittedBytes,
    long Dropped,
    IReadOnlyDictionary<string, long> Drops,
    long TruncatedRecords,
    long Batches,
    IReadOnlyList<ReplayVipSummary> Vips,
    ReplayAnswers Answers)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ReplaySummary From(string config, string input, string output, ReplayCounts counts, IReadOnlyList<VipTotals> vips, LoadBalancerEventTotals answers) => new(
        config, input, output,
        counts.FramesIn, counts.BytesIn, counts.Transmitted, counts.TransmittedBytes, counts.Dropped,
        counts.DropsByName().ToDictionary(d => d.Name, d => d.Count),
        counts.TruncatedRecords, counts.Batches,
        vips.Select(v => new ReplayVipSummary(
            v.Vip.Address.ToString(), v.Vip.Port,
            ConfigNames.Of(ConfigNames.Protocols, v.Vip.Protocol), ConfigNames.Of(ConfigNames.Modes, v.Vip.Mode),
            v.Packets, v.Bytes,
            v.Backends.Select(b => new ReplayBackendSummary(b.Address.ToString(), b.Backend.Port, b.Packets, b.Bytes, b.ReplyPackets, b.ReplyBytes)).ToArray())
        {
            Quic = v.Quic?.ByName(),
        }).ToArray(),
        new ReplayAnswers(answers.EchoReplies, answers.TooBigAnswered, answers.NatReplies));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine(Invariant(
            $"replay {Input} -> {Output} with {Config}: {FramesIn} frame(s) in ({BytesIn} bytes), {Transmitted} transmitted ({TransmittedBytes} bytes), {Dropped} dropped"));
        foreach ((string reason, long count) in Drops)
        {
            if (count > 0)
                writer.WriteLine(Invariant($"  dropped {reason}: {count}"));
        }
        if (TruncatedRecords > 0)
            writer.WriteLine(Invariant($"  note: {TruncatedRecords} record(s) were captured shorter than they were on the wire (snap length) and were replayed as captured"));
        foreach (ReplayVipSummary vip in Vips)
        {
            string address = vip.Address.Contains(':') ? $"[{vip.Address}]" : vip.Address;
            writer.WriteLine(Invariant($"  vip {address}:{(vip.Port == 0 ? "*" : vip.Port)}/{vip.Protocol} {vip.Mode}: {vip.Packets} packet(s), {vip.Bytes} bytes"));
            if (vip.Quic is { } quic)
                writer.WriteLine("    quic: " + string.Join(", ", quic.Select(q => Invariant($"{q.Key} {q.Value}"))));
            foreach (ReplayBackendSummary backend in vip.Backends)
            {
                string replies = backend.ReplyPackets > 0 ? Invariant($"; replies {backend.ReplyPackets} packet(s), {backend.ReplyBytes} bytes") : "";
                writer.WriteLine(Invariant($"    backend {new BackendId(IPAddress.Parse(backend.Address), backend.Port)}: {backend.Packets} packet(s), {backend.Bytes} bytes{replies}"));
            }
        }
        writer.WriteLine(Invariant($"  answers: {Answers.EchoReplies} echo reply(ies), {Answers.TooBigAnswered} ICMP too-big answer(s), {Answers.NatReplies} nat reply(ies)"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
