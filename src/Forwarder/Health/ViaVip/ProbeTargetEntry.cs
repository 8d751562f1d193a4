using System.Net.Sockets;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.Health.ViaVip;

/// <summary>
/// A value of bpf/healthcheck.c's <c>probe_targets</c> map (<c>struct probe_target</c>, 48 bytes): how packets of
/// one probe mark are sent. The outer source is left zero, so the program takes the probe's own source address.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 48)]
public unsafe struct ProbeTargetEntry
{
    public ProbeEncapsulation Mode;
    public byte Family;
    /// <summary>Network order.</summary>
    public ushort GuePort;
    public fixed byte Backend[16];
    public fixed byte Source[16];
    public fixed byte Mac[6];
    private fixed byte _pad[2];

    /// <summary>The entry of <paramref name="route"/>; <paramref name="guePort"/> is the forwarder's GUE port (host order).</summary>
    public static ProbeTargetEntry For(ProbeRoute route, ushort guePort)
    {
        var entry = new ProbeTargetEntry
        {
            Mode = route.Mode switch
            {
                ForwardingMode.Ipip => ProbeEncapsulation.Ipip,
                ForwardingMode.Gue => ProbeEncapsulation.Gue,
                ForwardingMode.DsrL2 => ProbeEncapsulation.DsrL2,
                _ => throw new ArgumentException($"{route.Mode} probes go to the backend's address, not through the VIP", nameof(route)),
            },
            Family = route.Backend.AddressFamily == AddressFamily.InterNetwork ? (byte)4 : (byte)6,
            GuePort = route.Mode == ForwardingMode.Gue ? (ushort)System.Net.IPAddress.HostToNetworkOrder((short)guePort) : (ushort)0,
        };
        byte[] address = route.Backend.GetAddressBytes();
        for (int i = 0; i < address.Length; i++)
            entry.Backend[i] = address[i];
        if (route.Mode == ForwardingMode.DsrL2)
        {
            byte[] mac = route.Mac?.GetAddressBytes() ?? throw new ArgumentException($"dsr-l2 probes to {route.Backend} need its MAC", nameof(route));
            for (int i = 0; i < 6; i++)
                entry.Mac[i] = mac[i];
        }
        return entry;
    }
}
