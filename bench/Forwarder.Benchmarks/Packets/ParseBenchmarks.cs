using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.Packets;

/// <summary>
/// The parse stage (<see cref="PacketBatchParser.Parse"/>) over one RX batch of 64 frames: IPv4 and
/// IPv6, TCP and UDP in turn, 0–160 bytes of payload. Parsing only reads, so the frames are loaded
/// once. Times are per packet; <see cref="FrameLayout"/> says where the frames sit in their chunks.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class ParseBenchmarks
{
    private readonly ParsedPacket[] _packets = new ParsedPacket[FrameArea.BatchSize];
    private readonly FlowKeyBatch _keys = new(FrameArea.BatchSize);
    private FrameArea _area = null!;

    [Params(FrameLayout.UmemChunk, FrameLayout.Staggered)]
    public FrameLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _area = new FrameArea(ClientFlows.Round(seed: 1, FrameArea.BatchSize,
            ("10.100.0.1", true, 80), ("fc00::100", true, 443), ("10.100.0.2", false, 53), ("fc00::200", false, 4789)), Layout);
        _area.Parse(); // every frame parses
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void Parse() => PacketBatchParser.Parse(_area.Batch, _packets, _keys);

    [GlobalCleanup]
    public void Cleanup() => _area.Dispose();
}
