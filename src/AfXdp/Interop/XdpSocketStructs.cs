using System.Runtime.InteropServices;

namespace AfXdp.Interop;

/// <summary>The kernel's <c>struct xdp_ring_offset</c> (linux/if_xdp.h): where a ring's parts lie in its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XdpRingOffset
{
    public ulong Producer;
    public ulong Consumer;
    public ulong Descriptors;
    public ulong Flags;
}

/// <summary>The kernel's <c>struct xdp_mmap_offsets</c> (getsockopt SOL_XDP/XDP_MMAP_OFFSETS).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XdpMmapOffsets
{
    public XdpRingOffset Rx;
    public XdpRingOffset Tx;
    public XdpRingOffset Fill;
    public XdpRingOffset Completion;
}
