using System.Buffers.Binary;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// Test datagram body: magic, run id, sequence number. The run id tells apart the batches a test
/// sends, so a receiver counts each batch's datagrams, once each, and can name the missing ones.
/// </summary>
public static class DatagramPayload
{
    public const int HeaderLength = 16;
    private const uint Magic = 0x46575453; // "FWTS"

    public static void Write(Span<byte> destination, uint runId, long sequence)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], runId);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], sequence);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out uint runId, out long sequence)
    {
        runId = 0;
        sequence = 0;
        if (datagram.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(datagram) != Magic)
            return false;
        runId = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        sequence = BinaryPrimitives.ReadInt64BigEndian(datagram[8..]);
        return true;
    }

    private static int _lastRunId = Environment.ProcessId * 1000;

    public static uint NewRunId() => (uint)Interlocked.Increment(ref _lastRunId);
}
