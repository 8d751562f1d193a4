using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.Replay;

/// <summary>A processor that gives each frame the verdict its script holds for the frame's sequence number, and remembers each batch's size.</summary>
[SupportedOSPlatform("linux")]
internal readonly unsafe struct ScriptedVerdicts(Func<uint, DropReason> script) : IBatchProcessor
{
    public List<int> BatchSizes { get; } = [];

    public void Process(PacketBatch batch)
    {
        BatchSizes.Add(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            batch.Verdict[i] = batch.Length[i] < ReplayHarness.SequenceOffset + 4
                ? DropReason.FrameTooShort
                : script(BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(batch.Data(i) + ReplayHarness.SequenceOffset, 4)));
        }
    }
}
