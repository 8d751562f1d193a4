using System.Runtime.InteropServices;

namespace AfXdp;

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
