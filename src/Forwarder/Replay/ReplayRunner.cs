using System.Runtime.InteropServices;
using AfXdp;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Replay;

/// <summary>
/// Runs a worker's processing stage over the frames of a capture file instead of a NIC queue: no socket,
/// no rings, no privileges. Frames are laid out as the worker receives them — one per 4 KiB UMEM chunk,
/// behind the headroom — in batches handed to <see cref="IBatchProcessor.Process"/>, and every frame
/// with the verdict "transmit" is written from wherever the processor left its start, in input order.
/// </summary>
public static unsafe class ReplayRunner
{
    /// <summary>The worker's UMEM frame size.</summary>
    public static readonly uint FrameSize = new UmemOptions().FrameSize;

    /// <summary>Where a received frame starts inside its chunk: the kernel's receive headroom (XDP_PACKET_HEADROOM).</summary>
    public const uint Headroom = 256;

    /// <summary>The longest frame a UMEM chunk holds behind the headroom.</summary>
    public static uint MaxFrameLength => FrameSize - Headroom;

    public const int DefaultBatchSize = 64;

    /// <summary>Replays every frame of <paramref name="input"/> through <paramref name="processor"/> and writes the transmitted ones to <paramref name="output"/>.</summary>
    /// <exception cref="PcapException">The input is corrupt or short (frames before the bad record have been written).</exception>
    /// <exception cref="InvalidOperationException">The processor moved a transmitted frame outside its UMEM chunk.</exception>
    public static ReplayCounts Run<TProcessor>(ref TProcessor processor, ICaptureReader input, PcapWriter output, int batchSize = DefaultBatchSize)
        where TProcessor : struct, IBatchProcessor
    {
        if (batchSize is < 1 or > PacketBatch.MaxSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch size must be 1–{PacketBatch.MaxSize}");
        uint frameSize = FrameSize;
        byte* area = (byte*)NativeMemory.AlignedAlloc((nuint)batchSize * frameSize, frameSize);
        try
        {
            var batch = new PacketBatch(area, frameSize);
            var timestamps = new PcapTimestamp[batchSize];
            var records = new long[batchSize];
            var counts = new ReplayCounts();
            while (Fill(batch, batchSize, input, timestamps, records, counts) > 0)
            {
                counts.Batches++;
                processor.Process(batch);
                Transmit(batch, output, timestamps, records, counts);
            }
            return counts;
        }
        finally
        {
            NativeMemory.AlignedFree(area);
        }
    }

    /// <summary>Places up to <paramref name="batchSize"/> frames in the chunks, frame i in chunk i; returns how many.</summary>
    private static int Fill(PacketBatch batch, int batchSize, ICaptureReader input, PcapTimestamp[] timestamps, long[] records, ReplayCounts counts)
    {
        int count = 0;
        while (count < batchSize && input.TryRead(out CapturedFrame frame))
        {
            counts.FramesIn++;
            counts.BytesIn += frame.Data.Length;
            if (frame.IsTruncated)
                counts.TruncatedRecords++;
            if ((uint)frame.Data.Length > MaxFrameLength)
            {
                counts.TooLongForFrame++;
                continue;
            }
            ulong chunk = (ulong)count * batch.FrameSize;
            // A clean chunk each time: what a processor might read in the headroom never depends on earlier frames.
            var chunkBytes = new Span<byte>(batch.Area + chunk, (int)batch.FrameSize);
            chunkBytes.Clear();
            frame.Data.Span.CopyTo(chunkBytes[(int)Headroom..]);
            batch.Address[count] = chunk + Headroom;
            batch.Length[count] = (uint)frame.Data.Length;
            timestamps[count] = frame.Timestamp;
            records[count] = frame.Record;
            count++;
        }
        batch.Count = count;
        return count;
    }

    private static void Transmit(PacketBatch batch, PcapWriter output, PcapTimestamp[] timestamps, long[] records, ReplayCounts counts)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            DropReason verdict = batch.Verdict[i];
            if (verdict != DropReason.None)
            {
                counts.Drops[(int)verdict]++;
                continue;
            }
            ulong address = batch.Address[i], chunk = (ulong)i * batch.FrameSize;
            uint length = batch.Length[i];
            ulong offset = address - chunk; // huge when the address went below the chunk
            if (offset > batch.FrameSize || length > batch.FrameSize - offset)
                throw new InvalidOperationException(
                    $"record {records[i]}: the processor left the frame at address {address}, length {length}, outside its UMEM chunk [{chunk}, {chunk + batch.FrameSize})");
            output.Write(timestamps[i], new ReadOnlySpan<byte>(batch.Data(i), (int)length));
            counts.Transmitted++;
            counts.TransmittedBytes += length;
        }
    }
}
