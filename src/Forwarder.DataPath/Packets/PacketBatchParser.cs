using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Forwarder.Hashing;

namespace Forwarder.Packets;

/// <summary>
/// The parse stage over a whole <see cref="PacketBatch"/>: frame i is parsed into <c>packets[i]</c>,
/// its verdict goes to <c>batch.Verdict[i]</c>, and for flows and ICMP errors slot i of the
/// <see cref="FlowKeyBatch"/> gets the flow's source word and ports word, so the next stage can hash
/// the whole batch at once with <see cref="FlowKeyBatch.ComputeHashes"/>.
///
/// The ports words are stored without VIP options (<see cref="FlowHashOptions.None"/>): which options
/// apply is known only after the VIP lookup, which is the next stage's. That stage applies them in
/// place, <c>keys.Ports[i] = FlowHash.ApplyOptions(keys.Ports[i], options)</c>, before hashing.
/// Slots of drops and echo requests are zeroed.
///
/// A verdict of <see cref="DropReason.None"/> here means "parsed", not yet "transmit": the next stage
/// decides for every such frame, echo requests included.
/// </summary>
public static unsafe class PacketBatchParser
{
    /// <summary>Parses frames [0, batch.Count); <paramref name="packets"/> and <paramref name="keys"/> must hold that many.</summary>
    public static void Parse(PacketBatch batch, Span<ParsedPacket> packets, FlowKeyBatch keys)
    {
        int count = batch.Count;
        if ((uint)count > (uint)packets.Length || count > keys.Capacity)
            ThrowTooSmall();

        byte* area = batch.Area;
        ulong[] addresses = batch.Address;
        uint[] lengths = batch.Length;
        DropReason[] verdicts = batch.Verdict;
        uint[] sourceWords = keys.SourceWords;
        uint[] ports = keys.Ports;
        for (int i = 0; i < count; i++)
        {
            ref ParsedPacket packet = ref packets[i];
            DropReason verdict = PacketParser.Parse(area + addresses[i], lengths[i], out packet);
            verdicts[i] = verdict;
            if (verdict == DropReason.None && packet.Kind != PacketKind.EchoRequest)
            {
                sourceWords[i] = packet.FlowSourceWord();
                ports[i] = packet.PortsWord;
            }
            else
            {
                sourceWords[i] = 0;
                ports[i] = 0;
            }
        }
        keys.Count = count;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooSmall() =>
        throw new ArgumentException("The parsed-packet span and the flow key batch must hold at least batch.Count entries.");
}
