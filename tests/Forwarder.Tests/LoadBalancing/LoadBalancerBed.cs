using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// The real <see cref="LoadBalancer"/> (or, with <c>scalar</c>, its reference twin <see cref="LoadBalancer{TPath}"/>
/// on <see cref="ScalarFlowLookup"/>) over a UMEM-like area: frames are placed at chunk start + 256
/// (the receive headroom), processed in batches, and what would be transmitted is copied out.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class LoadBalancerBed : IDisposable
{
    public const uint FrameSize = 4096;
    public const uint Headroom = 256;
    public const int BatchSize = 64;

    private readonly byte* _area;
    private readonly PacketBatch _batch;
    private readonly IBatchProcessor _processor;

    /// <param name="yaml">The configuration; <see cref="LoadBalancerConfigs.All"/> unless given.</param>
    /// <param name="capture">When given, the processor is wrapped for capture as workers run it (<see cref="CapturingProcessor{TProcessor}"/>, worker 0).</param>
    /// <param name="connections">A connection table for the (vector) stage; none unless given.</param>
    public LoadBalancerBed(string? yaml = null, bool scalar = false, CaptureSwitch? capture = null, Forwarder.FlowTable.ConnectionTable? connections = null)
    {
        Config = TestConfigs.LoadValid(yaml ?? LoadBalancerConfigs.All);
        Configured = SnapshotBuilder.Build(Config, LoadBalancerConfigs.OwnMac, workerCount: 1);
        Source = new SnapshotSource(Configured.Snapshot);
        Source.PublishHostAddresses(HostAddressSet.Of(LoadBalancerConfigs.HostAddresses));
        _processor = scalar ? new LoadBalancer<ScalarFlowLookup>(Source, 0)
            : capture is not null ? new CapturingProcessor<LoadBalancer>(new LoadBalancer(Source, 0), capture, 0)
            : new LoadBalancer(Source, 0, connections);
        _area = (byte*)NativeMemory.AlignedAlloc(FrameSize * BatchSize, 4096);
        _batch = new PacketBatch(_area, FrameSize);
    }

    public ForwarderConfig Config { get; }

    public SnapshotSource Source { get; }

    public ForwardingSnapshot Snapshot => Source.Current;

    /// <summary>The snapshot built at the start, with the configuration of each VIP entry.</summary>
    public ConfiguredSnapshot Configured { get; }

    public LoadBalancerCounters Counters => Snapshot.Counters[0];

    public PacketBatch Batch => _batch;

    /// <summary>Runs every frame through the processor, <see cref="BatchSize"/> at a time; returns each frame's verdict and output.</summary>
    public ProcessedFrame[] Run(IReadOnlyList<byte[]> frames)
    {
        var results = new ProcessedFrame[frames.Count];
        for (int start = 0; start < frames.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, frames.Count - start);
            Load(frames, start, count);
            _processor.Process(_batch);
            for (int i = 0; i < count; i++)
            {
                DropReason verdict = _batch.Verdict[i];
                byte[]? output = verdict == DropReason.None ? new ReadOnlySpan<byte>(_batch.Data(i), (int)_batch.Length[i]).ToArray() : null;
                results[start + i] = new ProcessedFrame(verdict, output);
            }
        }
        return results;
    }

    public ProcessedFrame Run(byte[] frame) => Run([frame])[0];

    /// <summary>Places frames [start, start + count) at their chunks without processing them.</summary>
    public void Load(IReadOnlyList<byte[]> frames, int start, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] frame = frames[start + i];
            ulong address = (ulong)i * FrameSize + Headroom;
            frame.CopyTo(new Span<byte>(_area + address, frame.Length));
            _batch.Address[i] = address;
            _batch.Length[i] = (uint)frame.Length;
            _batch.Verdict[i] = DropReason.TxRingFull; // stale: the processor must overwrite it
        }
        _batch.Count = count;
    }

    /// <summary>Processes the frames loaded by <see cref="Load"/>.</summary>
    public void ProcessLoaded() => _processor.Process(_batch);

    public void Dispose() => NativeMemory.AlignedFree(_area);
}

internal sealed record ProcessedFrame(DropReason Verdict, byte[]? Output);
