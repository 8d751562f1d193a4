namespace Forwarder.Replay;

/// <summary>
/// One frame read from a capture file. <see cref="Data"/> is the reader's buffer: it is valid until the
/// next read. A record captured with a snap length shorter than the frame holds fewer bytes than
/// <see cref="OriginalLength"/>.
/// </summary>
public readonly record struct CapturedFrame(long Record, long Offset, PcapTimestamp Timestamp, ReadOnlyMemory<byte> Data, uint OriginalLength)
{
    public bool IsTruncated => (uint)Data.Length < OriginalLength;
}
