using Forwarder.Packets;

namespace Forwarder.Replay;

/// <summary>
/// What a replay did with its input. Every frame read is counted once more: transmitted, dropped by the
/// processor under a <see cref="DropReason"/>, or refused by the replay itself as too long for a UMEM frame.
/// </summary>
public sealed class ReplayCounts
{
    /// <summary>The replay's own drop reason: a frame that would not fit a UMEM frame after the headroom, so no NIC queue could deliver it.</summary>
    public const string TooLongForFrameName = "too_long_for_frame";

    public long FramesIn;

    /// <summary>Bytes of the frames read, as captured.</summary>
    public long BytesIn;

    public long Transmitted;
    public long TransmittedBytes;

    /// <summary>Frames the processor dropped, by <see cref="DropReason"/>.</summary>
    public readonly long[] Drops = new long[DropReasons.Count];

    /// <summary>Frames longer than <see cref="ReplayRunner.MaxFrameLength"/>: never given to the processor.</summary>
    public long TooLongForFrame;

    /// <summary>Records captured shorter than the frame was on the wire (snap length); replayed as captured.</summary>
    public long TruncatedRecords;

    /// <summary>Calls of the processor.</summary>
    public long Batches;

    public long Dropped => Drops.Sum() + TooLongForFrame;

    /// <summary>Every drop reason by name, the processor's in <see cref="DropReason"/> order and then the replay's own.</summary>
    public IEnumerable<(string Name, long Count)> DropsByName()
    {
        foreach (DropReason reason in Enum.GetValues<DropReason>())
        {
            if (reason != DropReason.None)
                yield return (DropReasons.Name(reason), Drops[(int)reason]);
        }
        yield return (TooLongForFrameName, TooLongForFrame);
    }
}
