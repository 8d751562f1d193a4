using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>One frame through a load-balancing stage, as a batch of one in a 4 KiB chunk at offset 256.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class SingleFrame
{
    public const int ChunkBytes = 4096;

    /// <summary>Processes <paramref name="frame"/> in <paramref name="chunk"/> (<see cref="ChunkBytes"/>); asserts it is forwarded and gives the frame as it goes out.</summary>
    public static byte[] Forward(ref LoadBalancer stage, byte* chunk, byte[] frame)
    {
        frame.CopyTo(new Span<byte>(chunk + 256, frame.Length));
        var batch = new PacketBatch(chunk, ChunkBytes) { Count = 1 };
        batch.Address[0] = 256;
        batch.Length[0] = (uint)frame.Length;
        stage.Process(batch);
        Assert.Equal(DropReason.None, batch.Verdict[0]);
        return new ReadOnlySpan<byte>(batch.Data(0), (int)batch.Length[0]).ToArray();
    }
}
