using System.Net;
using System.Net.NetworkInformation;
using Forwarder.Packets;

namespace Forwarder.Health;

/// <summary>
/// How a <c>via: vip</c> probe reaches one backend: the VIP's mode, the backend's address (the outer
/// destination of ipip/gue) and, under dsr-l2, its MAC. Probes of every VIP that shares a route share
/// its probe mark; the VIP itself is the probe socket's destination.
/// </summary>
public sealed record ProbeRoute(IPAddress Backend, ForwardingMode Mode, PhysicalAddress? Mac)
{
    public override string ToString() => Mac is null ? $"{Mode} to {Backend}" : $"{Mode} to {Backend} ({Mac})";
}
