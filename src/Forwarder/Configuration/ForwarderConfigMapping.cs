using System.Net.Sockets;
using Forwarder.Hosting;

namespace Forwarder.Configuration;

/// <summary>
/// Turns a configuration into the <see cref="ForwarderOptions"/> that <c>forwarder run</c> starts with.
/// Tuning the file does not cover (UMEM, sockets, worker loop, stats, BPF object) keeps its defaults:
/// callers override it with <c>with { ... }</c>.
/// </summary>
public static class ForwarderConfigMapping
{
    public static ForwarderOptions ToForwarderOptions(ForwarderConfig config) => new()
    {
        Interface = config.Interface.Name,
        Queues = config.Interface.Queues.Zip(config.Interface.Cores, (queue, core) => new QueueAssignment(queue, core)).ToArray(),
        Vips = config.Vips.Select(ToVipSpec).ToArray(),
        NextHopMac = config.RouterMac.GetAddressBytes(),
        XdpMode = config.Interface.XdpMode,
    };

    /// <summary>What the VIP steers to the forwarder: its address, port (0 = any) and protocols.</summary>
    public static VipSpec ToVipSpec(VipConfig vip) => new(vip.Address, vip.Port, vip.Protocol switch
    {
        VipProtocol.Tcp => [ProtocolType.Tcp],
        VipProtocol.Udp => [ProtocolType.Udp],
        _ => [ProtocolType.Tcp, ProtocolType.Udp],
    });
}
