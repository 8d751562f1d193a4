using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// What a capture ring slot says about one received frame: when its batch was taken, what became of it, and how
/// long it was as received and (when transmitted) as transmitted, with the byte counts kept of each.
/// </summary>
public struct CaptureRecord
{
    /// <summary>UTC time of the frame's batch, in <see cref="DateTime.Ticks"/>.</summary>
    public long Ticks;

    /// <summary><see cref="DropReason.None"/>: transmitted (the slot holds both sides); otherwise why it was dropped.</summary>
    public DropReason Verdict;

    public uint ReceivedLength;
    public int ReceivedKept;

    /// <summary>Zero when the frame was dropped.</summary>
    public uint TransmittedLength;
    public int TransmittedKept;
}
