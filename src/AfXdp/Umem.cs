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
/// The packet buffer area shared with the kernel, plus its FILL and COMPLETION rings, adopted from the
/// descriptors libxdp left (<see cref="XskHandOver"/>): the frames are a memfd mapped here, the rings are mapped
/// from the socket the UMEM is registered on. The ring structs live in native memory. The UMEM owns that
/// socket's descriptor: the <see cref="XskSocket"/> adopted on it uses the same descriptor, holds a reference,
/// and the UMEM is released (descriptor closed) only after it.
/// </summary>
public sealed unsafe class Umem : SafeHandle
{
    private readonly XskRingNative* _rings; // [0] = fill, [1] = completion
    private readonly nuint _areaBytes;
    private readonly XskRingMapping _fillMapping;
    private readonly XskRingMapping _completionMapping;
    private int _socketClaimed;
    private readonly int _memoryFd;

    private Umem(UmemOptions options, int fd, int memoryFd, byte* area, nuint areaBytes, bool hugePages, XskRingNative* rings, XskRingMapping fill, XskRingMapping completion)
        : base(-1, ownsHandle: true)
    {
        _memoryFd = memoryFd;
        Options = options;
        Area = area;
        _areaBytes = areaBytes;
        UsesHugePages = hugePages;
        _rings = rings;
        _fillMapping = fill;
        _completionMapping = completion;
        SetHandle(fd);
    }

    /// <summary>
    /// Takes over a UMEM that libxdp created (<see cref="XskHandOver.Create"/>), in this process or in the one
    /// that exec'd it: maps its frame memory and its FILL and COMPLETION rings. Needs no capability. The UMEM
    /// owns the socket's descriptor and the memfd from here on (the memfd stays open so that an upgrade can hand the
    /// frames on: <see cref="MemoryFd"/>), and closes both if this fails.
    /// </summary>
    public static Umem Adopt(UmemOptions options, XskHandOver handOver)
    {
        nuint areaBytes = AreaBytesOf(options);
        byte* area = null;
        XskRingNative* rings = null;
        XskRingMapping fill = default, completion = default;
        try
        {
            Validate(options);
            if (!XskSocketFd.IsXdpSocket(handOver.SocketFd))
                throw new XdpException("getsockopt(SO_DOMAIN)", Errnos.EINVAL, $"fd {handOver.SocketFd} is not an AF_XDP socket");
            long size = LibC.Lseek(handOver.MemoryFd, 0, LibC.SEEK_END);
            if (size != (long)areaBytes)
                throw new XdpException("lseek", Errnos.EINVAL, $"fd {handOver.MemoryFd} holds {size} bytes of frames, not the {areaBytes} of {options.FrameCount} frames of {options.FrameSize}");
            void* mapped = LibC.Mmap(null, areaBytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, handOver.MemoryFd, 0);
            if (mapped == (void*)-1)
                throw XdpException.FromLastError("mmap", $"UMEM of {areaBytes} bytes from fd {handOver.MemoryFd}");
            area = (byte*)mapped;
            int fd = handOver.SocketFd;
            XdpMmapOffsets offsets = XskRingMapping.Offsets(fd);
            rings = (XskRingNative*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(XskRingNative)));
            fill = XskRingMapping.Map(fd, LibC.XDP_UMEM_PGOFF_FILL_RING, offsets.Fill, options.FillRingSize, sizeof(ulong), producer: true, &rings[0], "FILL");
            completion = XskRingMapping.Map(fd, LibC.XDP_UMEM_PGOFF_COMPLETION_RING, offsets.Completion, options.CompletionRingSize, sizeof(ulong), producer: false, &rings[1], "COMPLETION");
            return new Umem(options, fd, handOver.MemoryFd, area, areaBytes, handOver.HugePages, rings, fill, completion);
        }
        catch
        {
            LibC.Close(handOver.MemoryFd);
            fill.Unmap();
            completion.Unmap();
            NativeMemory.Free(rings);
            LibC.Close(handOver.SocketFd);
            if (area != null)
                LibC.Munmap(area, areaBytes);
            throw;
        }
    }

    /// <summary>The memfd holding the frames (close-on-exec): what an upgrade's successor maps.</summary>
    public int MemoryFd => _memoryFd;

    internal static nuint AreaBytesOf(UmemOptions options) => (nuint)options.FrameCount * options.FrameSize;

    public UmemOptions Options { get; }

    /// <summary>The AF_XDP socket the UMEM is registered on; its <see cref="XskSocket"/> is the same descriptor.</summary>
    public int Fd => (int)handle;

    /// <summary>Start of the frame area: frame address A is at <c>Area + A</c>.</summary>
    public byte* Area { get; }

    public ulong AreaBytes => _areaBytes;

    public bool UsesHugePages { get; }

    public ProducerRing<ulong> Fill => new(&_rings[0]);

    public ConsumerRing<ulong> Completion => new(&_rings[1]);

    public override bool IsInvalid => handle == -1;

    /// <summary>Takes the UMEM's socket for the one <see cref="XskSocket"/> adopted on it; false when it is taken.</summary>
    internal bool TryClaimSocket() => Interlocked.Exchange(ref _socketClaimed, 1) == 0;

    protected override bool ReleaseHandle()
    {
        _fillMapping.Unmap();
        _completionMapping.Unmap();
        LibC.Close((int)handle);
        LibC.Close(_memoryFd);
        LibC.Munmap(Area, _areaBytes);
        NativeMemory.Free(_rings);
        return true;
    }

    internal static void Validate(UmemOptions o)
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
}
