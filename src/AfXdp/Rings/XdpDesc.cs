using System.Runtime.InteropServices;

namespace AfXdp.Rings;

/// <summary>The kernel's <c>struct xdp_desc</c>: one RX or TX descriptor.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct XdpDesc
{
    /// <summary>Where the packet starts: an offset into the UMEM area.</summary>
    public ulong Address;

    /// <summary>The packet's length in bytes.</summary>
    public uint Length;

    /// <summary>Per-descriptor flags (e.g. XDP_PKT_CONTD); 0 for a whole packet.</summary>
    public uint Options;
}
