using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.Frames;

/// <summary>
/// A UMEM-like native area of <see cref="BatchSize"/> 4 KiB chunks and the <see cref="PacketBatch"/>
/// over it, as a worker holds one RX batch: frame i sits at chunk i + <see cref="Headroom"/> (the
/// receive headroom AF_XDP leaves, which the encapsulating rewrites grow into), or a few cache lines
/// further in (<see cref="FrameLayout"/>).
///
/// Rewrites change a batch in two ways, and the benchmarks undo exactly what they change:
/// <see cref="Restore"/> puts every frame's <c>Address</c> and <c>Length</c> back (what encapsulation
/// and dsr-l2 move; they never touch the inner packet's bytes); <see cref="CopyIn"/> copies every
/// frame's bytes back as well (what the whole stage needs, since it re-parses headers that
/// encapsulation overwrote and nat rewrote).
/// </summary>
internal sealed unsafe class FrameArea : IDisposable
{
    public const int BatchSize = 64;
    public const uint FrameSize = 4096;
    public const uint Headroom = 256;
    public const int MaxFrame = 1500;

    private readonly byte*[] _sources = new byte*[BatchSize];
    private readonly uint[] _lengths = new uint[BatchSize];
    private readonly ulong[] _addresses = new ulong[BatchSize];
    private readonly byte* _area;
    private readonly byte* _originals;

    /// <summary>Places <paramref name="frames"/> (at most <see cref="BatchSize"/>) in their chunks and keeps a copy to reload from.</summary>
    public FrameArea(IReadOnlyList<byte[]> frames, FrameLayout layout = FrameLayout.UmemChunk)
    {
        if (frames.Count is 0 or > BatchSize)
            throw new ArgumentException($"give 1 to {BatchSize} frames", nameof(frames));
        _area = (byte*)NativeMemory.AlignedAlloc(FrameSize * BatchSize, 4096);
        _originals = (byte*)NativeMemory.AlignedAlloc(FrameSize * BatchSize, 4096);
        Batch = new PacketBatch(_area, FrameSize) { Count = frames.Count };
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].Length > MaxFrame)
                throw new ArgumentException($"frame {i} is longer than {MaxFrame} bytes", nameof(frames));
            _sources[i] = _originals + i * FrameSize;
            _lengths[i] = (uint)frames[i].Length;
            _addresses[i] = (ulong)i * FrameSize + Headroom + (layout == FrameLayout.Staggered ? (ulong)(i % 32) * 64 : 0);
            frames[i].CopyTo(new Span<byte>(_sources[i], frames[i].Length));
        }
        CopyIn();
    }

    public PacketBatch Batch { get; }

    public int Count => Batch.Count;

    /// <summary>Every frame's start and length as received (frame bytes untouched).</summary>
    public void Restore()
    {
        int count = Batch.Count;
        _addresses.AsSpan(0, count).CopyTo(Batch.Address);
        _lengths.AsSpan(0, count).CopyTo(Batch.Length);
    }

    /// <summary>Every frame as received: its bytes copied back into its chunk, then <see cref="Restore"/>.</summary>
    public void CopyIn()
    {
        int count = Batch.Count;
        for (int i = 0; i < count; i++)
            Buffer.MemoryCopy(_sources[i], _area + _addresses[i], _lengths[i], _lengths[i]);
        Restore();
    }

    /// <summary>Parses every frame as the load-balancing stage would; throws unless all parse.</summary>
    public ParsedPacket[] Parse()
    {
        var packets = new ParsedPacket[Batch.Count];
        for (int i = 0; i < Batch.Count; i++)
        {
            DropReason verdict = PacketParser.Parse(Batch.Data(i), Batch.Length[i], out packets[i]);
            if (verdict != DropReason.None)
                throw new InvalidOperationException($"frame {i} does not parse: {verdict}");
        }
        return packets;
    }

    /// <summary>The bytes frame <paramref name="i"/> holds now (its current start and length).</summary>
    public ReadOnlySpan<byte> Current(int i) => new(Batch.Data(i), (int)Batch.Length[i]);

    /// <summary>Throws, naming <paramref name="what"/>, unless the last pass over the batch forwarded every frame (a case that drops measures the wrong path).</summary>
    public void RequireAllForwarded(string what)
    {
        for (int i = 0; i < Batch.Count; i++)
        {
            if (Batch.Verdict[i] != DropReason.None)
                throw new InvalidOperationException($"{what}: frame {i} was not forwarded: {Batch.Verdict[i]}");
        }
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_area);
        NativeMemory.AlignedFree(_originals);
    }
}
