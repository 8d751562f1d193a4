using System.Runtime.InteropServices;
using AfXdp.Interop;
using AfXdp.Rings;

namespace AfXdp;

/// <summary>How a UMEM is laid out.</summary>
public sealed record UmemOptions
{
    /// <summary>Number of frames; a power of two.</summary>
    public uint FrameCount { get; init; } = 4096;

    /// <summary>Bytes per frame: 2048 or 4096 (aligned chunk mode).</summary>
    public uint FrameSize { get; init; } = 4096;

    /// <summary>Bytes the kernel leaves free in front of each received packet, for headers we add later.</summary>
    public uint FrameHeadroom { get; init; } = 256;

    public uint FillRingSize { get; init; } = 2048;

    public uint CompletionRingSize { get; init; } = 2048;

    /// <summary>Back the UMEM with huge pages when available; falls back to normal pages otherwise.</summary>
    public bool HugePages { get; init; }
}

/// <summary>
/// The packet buffer area shared with the kernel, registered through libxdp, plus its FILL and
/// COMPLETION rings. The area is page-aligned anonymous memory; the ring structs live in native
/// memory because libxdp keeps pointers to them. Sockets add a reference, so the UMEM is released
/// only after the last socket on it.
/// </summary>
public sealed unsafe class Umem : SafeHandle
{
    private const int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000, MAP_HUGETLB = 0x40000;

    private readonly XskRingNative* _rings; // [0] = fill, [1] = completion
    private readonly nuint _areaBytes;

    private Umem(UmemOptions options) : base(0, ownsHandle: true)
    {
        Options = options;
        Validate(options);
        _areaBytes = (nuint)options.FrameCount * options.FrameSize;
        Area = MapArea(_areaBytes, options.HugePages, out bool huge);
        UsesHugePages = huge;
        _rings = (XskRingNative*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(XskRingNative)));
        var config = new XskUmemConfig
        {
            FillSize = options.FillRingSize,
            CompletionSize = options.CompletionRingSize,
            FrameSize = options.FrameSize,
            FrameHeadroom = options.FrameHeadroom,
        };
        int result = LibXdp.XskUmemCreate(out nint umem, Area, _areaBytes, &_rings[0], &_rings[1], config);
        if (result < 0)
        {
            FreeNative();
            throw new XdpException("xsk_umem__create", -result, $"{options.FrameCount} frames of {options.FrameSize} bytes");
        }
        SetHandle(umem);
    }

    public static Umem Create(UmemOptions options) => new(options);

    public UmemOptions Options { get; }

    /// <summary>Start of the frame area: frame address A is at <c>Area + A</c>.</summary>
    public byte* Area { get; }

    public ulong AreaBytes => _areaBytes;

    public bool UsesHugePages { get; }

    public ProducerRing<ulong> Fill => new(&_rings[0]);

    public ConsumerRing<ulong> Completion => new(&_rings[1]);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibXdp.XskUmemDelete(handle);
        FreeNative();
        return true;
    }

    private void FreeNative()
    {
        LibC.Munmap(Area, _areaBytes);
        NativeMemory.Free(_rings);
    }

    private static void Validate(UmemOptions o)
    {
        static bool PowerOfTwo(uint v) => v != 0 && (v & (v - 1)) == 0;
        if (!PowerOfTwo(o.FrameCount))
            throw new ArgumentException($"frame count must be a power of two, got {o.FrameCount}");
        if (o.FrameSize is not (2048 or 4096))
            throw new ArgumentException($"frame size must be 2048 or 4096, got {o.FrameSize}");
        if (o.FrameHeadroom > o.FrameSize / 2)
            throw new ArgumentException($"frame headroom {o.FrameHeadroom} leaves too little of a {o.FrameSize}-byte frame");
        if (!PowerOfTwo(o.FillRingSize) || !PowerOfTwo(o.CompletionRingSize))
            throw new ArgumentException("fill and completion ring sizes must be powers of two");
    }

    private static byte* MapArea(nuint bytes, bool hugePages, out bool huge)
    {
        const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
        huge = false;
        if (hugePages)
        {
            void* h = LibC.Mmap(null, bytes, PROT_READ | PROT_WRITE, flags | MAP_HUGETLB, -1, 0);
            if (h != (void*)-1)
            {
                huge = true;
                return (byte*)h;
            }
        }
        void* p = LibC.Mmap(null, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
        if (p == (void*)-1)
            throw XdpException.FromLastError("mmap", $"UMEM of {bytes} bytes");
        return (byte*)p;
    }
}
