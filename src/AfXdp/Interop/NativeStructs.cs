using System.Runtime.InteropServices;

namespace AfXdp.Interop;

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

/// <summary>The kernel's <c>struct xdp_desc</c>: one RX or TX descriptor.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct XdpDesc
{
    public ulong Address;
    public uint Length;
    public uint Options;
}

/// <summary>libxdp's <c>struct xsk_umem_config</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XskUmemConfig
{
    public uint FillSize;
    public uint CompletionSize;
    public uint FrameSize;
    public uint FrameHeadroom;
    public uint Flags;
}

/// <summary>libxdp's <c>struct xsk_socket_config</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XskSocketConfig
{
    public uint RxSize;
    public uint TxSize;
    public uint LibxdpFlags;
    public uint XdpFlags;
    public ushort BindFlags;
}

/// <summary>The kernel's <c>struct xdp_statistics</c> (getsockopt SOL_XDP/XDP_STATISTICS).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct XdpStatistics
{
    public ulong RxDropped;
    public ulong RxInvalidDescriptors;
    public ulong TxInvalidDescriptors;
    public ulong RxRingFull;
    public ulong RxFillRingEmptyDescriptors;
    public ulong TxRingEmptyDescriptors;
}

/// <summary>Bind flags of <c>struct sockaddr_xdp</c> (linux/if_xdp.h).</summary>
[Flags]
internal enum XdpBindFlags : ushort
{
    None = 0,
    Copy = 1 << 1,
    ZeroCopy = 1 << 2,
    UseNeedWakeup = 1 << 3,
}

/// <summary>XDP attach flags (linux/if_link.h).</summary>
[Flags]
internal enum XdpAttachFlags : uint
{
    None = 0,
    UpdateIfNoExist = 1 << 0,
    SkbMode = 1 << 1,
    DriverMode = 1 << 2,
    HardwareMode = 1 << 3,
    Replace = 1 << 4,
}
