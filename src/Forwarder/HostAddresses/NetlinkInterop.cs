using System.Runtime.InteropServices;

namespace Forwarder.HostAddresses;

/// <summary>The constants and address of a route netlink socket (the calls are <see cref="Interop.Posix"/>'s).</summary>
internal static class NetlinkInterop
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;

    /// <summary>Multicast groups of address changes (bind's <c>nl_groups</c> bits).</summary>
    public const uint RTMGRP_IPV4_IFADDR = 0x10;
    public const uint RTMGRP_IPV6_IFADDR = 0x100;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }
}
