using System.Runtime.InteropServices;

namespace AfXdp.Rings;

/// <summary>
/// A mapped ring as the ring code sees it: libxdp's <c>struct xsk_ring_prod</c> / <c>struct xsk_ring_cons</c>
/// (identical layouts), as <see cref="XskRingMapping"/> fills it in. Lives in native memory for the whole life of
/// its UMEM or socket.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct XskRingNative
{
    public uint CachedProducer;
    public uint CachedConsumer;
    public uint Mask;
    public uint Size;
    public uint* Producer;
    public uint* Consumer;
    public void* Ring;
    public uint* Flags;
}
