using AfXdp.Interop;
using AfXdp.Rings;

namespace AfXdp;

/// <summary>
/// One ring of an adopted AF_XDP socket (FILL, COMPLETION, RX or TX) mapped into this process and described
/// in the <see cref="XskRingNative"/> that the ring code reads. libxdp created and sized the rings
/// (<see cref="XskHandOver.Create"/>), but its mappings of them do not outlive that call, nor would they an
/// execve, so the adopter maps them again from the descriptor. Set-up only; where each part of the ring lies
/// comes from the kernel (<c>XDP_MMAP_OFFSETS</c>).
/// </summary>
internal readonly unsafe struct XskRingMapping
{
    private readonly void* _address;
    private readonly nuint _length;

    private XskRingMapping(void* address, nuint length)
    {
        _address = address;
        _length = length;
    }

    public static XdpMmapOffsets Offsets(int fd)
    {
        XdpMmapOffsets offsets = default;
        uint length = (uint)sizeof(XdpMmapOffsets);
        if (LibC.GetSockOpt(fd, LibC.SOL_XDP, LibC.XDP_MMAP_OFFSETS, &offsets, ref length) != 0)
            throw XdpException.FromLastError("getsockopt(XDP_MMAP_OFFSETS)");
        if (length != sizeof(XdpMmapOffsets))
            throw new XdpException("getsockopt(XDP_MMAP_OFFSETS)", Errnos.EINVAL, $"the kernel answered {length} bytes: it predates Linux 5.4");
        return offsets;
    }

    /// <summary>
    /// Maps the ring at <paramref name="pageOffset"/> (one of the kernel's XDP_*_PGOFF_* values) and fills
    /// <paramref name="ring"/>. A producer ring (FILL, TX) starts with every entry free, a consumer ring empty.
    /// </summary>
    public static XskRingMapping Map(int fd, long pageOffset, in XdpRingOffset offset, uint entries, uint entryBytes, bool producer, XskRingNative* ring, string what)
    {
        nuint length = (nuint)(offset.Descriptors + (ulong)entries * entryBytes);
        void* map = LibC.Mmap(null, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, (nint)pageOffset);
        if (map == (void*)-1)
            throw XdpException.FromLastError("mmap", $"{what} ring");
        byte* bytes = (byte*)map;
        ring->Mask = entries - 1;
        ring->Size = entries;
        ring->Producer = (uint*)(bytes + offset.Producer);
        ring->Consumer = (uint*)(bytes + offset.Consumer);
        ring->Ring = bytes + offset.Descriptors;
        ring->Flags = (uint*)(bytes + offset.Flags);
        ring->CachedProducer = *ring->Producer;
        ring->CachedConsumer = *ring->Consumer + (producer ? entries : 0);
        return new XskRingMapping(map, length);
    }

    public void Unmap()
    {
        if (_address != null)
            LibC.Munmap(_address, _length);
    }
}
