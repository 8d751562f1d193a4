using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.Replay;

/// <summary>
/// A processor that moves every frame's start by <paramref name="delta"/> bytes (negative: into the
/// headroom, filling the new bytes with 0xEE, as an encapsulation does) and transmits it; it remembers the
/// headroom and chunk each frame arrived with.
/// </summary>
[SupportedOSPlatform("linux")]
internal readonly unsafe struct MoveStart(int delta) : IBatchProcessor
{
    public List<(uint Headroom, ulong Chunk)> Arrivals { get; } = [];

    public void Process(PacketBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            uint headroom = batch.Headroom(i);
            Arrivals.Add((headroom, batch.Address[i] / batch.FrameSize));
            batch.Address[i] = (ulong)((long)batch.Address[i] + delta);
            batch.Length[i] = (uint)(batch.Length[i] - delta);
            if (delta < 0 && -delta <= headroom)
                new Span<byte>(batch.Data(i), -delta).Fill(0xEE);
            batch.Verdict[i] = DropReason.None;
        }
    }
}
