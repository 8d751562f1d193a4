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
        Config = config,
    };

    /// <summary>
    /// The sources redirect.c must steer as nat replies: each nat backend's (address, port, protocol) —
    /// the backend's port or the VIP's — and its address-level entry for the ICMP errors it sends.
    /// </summary>
    public static IEnumerable<VipMapKey> NatSourceKeys(ForwarderConfig config)
    {
        var keys = new HashSet<VipMapKey>();
        foreach (VipConfig vip in config.Vips.Where(v => v.Mode == ForwardingMode.Nat))
        {
            foreach (BackendConfig backend in vip.Backends)
            {
                foreach (ProtocolType protocol in ToVipSpec(vip).Protocols)
                    keys.Add(VipMapKey.Create(backend.Address, backend.Port ?? vip.Port, protocol));
                keys.Add(VipMapKey.ForAddress(backend.Address));
            }
        }
        return keys;
    }

    /// <summary>What the VIP steers to the forwarder: its address, port (0 = any) and protocols.</summary>
    public static VipSpec ToVipSpec(VipConfig vip) => new(vip.Address, vip.Port, vip.Protocol switch
    {
        VipProtocol.Tcp => [ProtocolType.Tcp],
        VipProtocol.Udp => [ProtocolType.Udp],
        _ => [ProtocolType.Tcp, ProtocolType.Udp],
    });
}
