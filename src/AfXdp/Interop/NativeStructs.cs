using System.Runtime.InteropServices;

namespace AfXdp.Interop;

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
