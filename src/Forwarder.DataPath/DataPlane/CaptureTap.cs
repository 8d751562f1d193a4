using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// One worker's side of a running capture: the filter, the ring the worker fills and the staging area for the
/// frames of the batch in hand. A frame is rewritten in place, so the worker copies the frames that may match
/// before processing (<see cref="BeforeProcess"/>), and after processing, knowing each frame's verdict and
/// transmitted bytes, moves the ones that match into the ring (<see cref="AfterProcess"/>). Everything is
/// allocated when the capture starts; both steps allocate nothing, lock nothing, throw nothing.
/// </summary>
public sealed unsafe class CaptureTap
{
    private readonly byte[] _staged;
    private readonly uint[] _stagedLength = new uint[PacketBatch.MaxSize];
    private readonly bool[] _isStaged = new bool[PacketBatch.MaxSize];
    private readonly bool[] _fromBackend = new bool[PacketBatch.MaxSize];
    private long _kept;

    public CaptureTap(CaptureFilter filter, int ringSlots)
    {
        Filter = filter;
        Ring = new CaptureRing(ringSlots, filter.SnapLength);
        _staged = new byte[PacketBatch.MaxSize * filter.SnapLength];
    }

    public CaptureFilter Filter { get; }

    public CaptureRing Ring { get; }

    /// <summary>Received frames this worker published into its ring; it stops at <see cref="CaptureFilter.Count"/>.</summary>
    public long Kept => Volatile.Read(ref _kept);

    /// <summary>Copies the frames that pass the criteria readable before processing.</summary>
    public void BeforeProcess(PacketBatch batch)
    {
        CaptureFilter filter = Filter;
        int count = batch.Count;
        int snap = filter.SnapLength;
        bool full = _kept >= filter.Count;
        for (int i = 0; i < count; i++)
        {
            byte* data = batch.Data(i);
            uint length = batch.Length[i];
            bool stage = !full;
            bool fromBackend = false;
            if (stage && filter.NeedsParse)
            {
                DropReason parsed = PacketParser.Parse(data, length, out ParsedPacket packet);
                stage = filter.MatchesVip(parsed, packet);
                fromBackend = filter.FromBackend(parsed, packet);
            }
            _isStaged[i] = stage;
            _fromBackend[i] = fromBackend;
            if (!stage)
                continue;
            _stagedLength[i] = length;
            new ReadOnlySpan<byte>(data, (int)Math.Min(length, (uint)snap)).CopyTo(_staged.AsSpan(i * snap, snap));
        }
    }

    /// <summary>Moves the staged frames that match, now that their verdicts are known, into the ring.</summary>
    public void AfterProcess(PacketBatch batch)
    {
        CaptureFilter filter = Filter;
        CaptureRing ring = Ring;
        int count = batch.Count;
        int snap = filter.SnapLength;
        long ticks = 0;
        for (int i = 0; i < count; i++)
        {
            if (!_isStaged[i] || _kept >= filter.Count)
                continue;
            DropReason verdict = batch.Verdict[i];
            if (filter.Drop is { } wanted && verdict != wanted)
                continue;
            bool transmitted = verdict == DropReason.None;
            if (filter.Backend is not null && !_fromBackend[i] && !(transmitted && filter.ToBackend(batch.Data(i), batch.Length[i])))
                continue;

            int slot = ring.TryClaim();
            if (slot < 0)
                continue; // counted as overflow; not kept, so the count is still reached with frames the writer gets
            _kept++;
            if (ticks == 0)
                ticks = DateTime.UtcNow.Ticks; // once per batch, and only for a batch with a frame kept
            ref CaptureRecord frame = ref ring.Frame(slot);
            uint received = _stagedLength[i];
            frame.Ticks = ticks;
            frame.Verdict = verdict;
            frame.ReceivedLength = received;
            frame.ReceivedKept = (int)Math.Min(received, (uint)snap);
            _staged.AsSpan(i * snap, frame.ReceivedKept).CopyTo(ring.Received(slot));
            if (transmitted)
            {
                uint sent = batch.Length[i];
                frame.TransmittedLength = sent;
                frame.TransmittedKept = (int)Math.Min(sent, (uint)snap);
                new ReadOnlySpan<byte>(batch.Data(i), frame.TransmittedKept).CopyTo(ring.Transmitted(slot));
            }
            else
            {
                frame.TransmittedLength = 0;
                frame.TransmittedKept = 0;
            }
            ring.Publish();
        }
    }
}
