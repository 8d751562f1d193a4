namespace Forwarder.Tests.DataPlane;

/// <summary>
/// What the wire sees of the frames a <see cref="SimulatedQueue"/> transmits: each must be a received
/// <see cref="TestPacket"/> with the MACs rewritten to next hop and own, every other byte as received,
/// sent once and in receive order. Allocation-free unless a frame is wrong.
/// </summary>
public sealed class SimulatedWire
{
    private const int MacBytes = 12;
    private static readonly byte[] ExpectedMacs = [.. TestPacket.NextHopMac, .. TestPacket.OwnMac];

    /// <summary>Sequence number of the last frame sent, -1 before the first.</summary>
    public long LastSequence { get; private set; } = -1;

    public void Send(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != TestPacket.Length)
            throw new FrameAccountingException($"a {frame.Length}-byte frame went out, only {TestPacket.Length}-byte frames are forwardable");
        uint sequence = TestPacket.ReadSequence(frame);
        if (sequence <= LastSequence)
            throw new FrameAccountingException($"frame {sequence} went out after frame {LastSequence}");
        ReadOnlySpan<byte> template = TestPacket.Template;
        const int sequenceEnd = TestPacket.SequenceOffset + 4;
        if (!frame[..MacBytes].SequenceEqual(ExpectedMacs)
            || !frame[MacBytes..TestPacket.SequenceOffset].SequenceEqual(template[MacBytes..TestPacket.SequenceOffset])
            || !frame[sequenceEnd..].SequenceEqual(template[sequenceEnd..]))
            throw new FrameAccountingException($"frame {sequence} went out with wrong bytes: {Convert.ToHexString(frame)}");
        LastSequence = sequence;
    }
}
