using Forwarder.Configuration;
using Forwarder.Steering;

namespace Forwarder.Hosting;

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
        Vips = config.Vips.Select(VipSpec.Of).ToArray(),
        NextHopMac = config.RouterMac.GetAddressBytes(),
        XdpMode = config.Interface.XdpMode,
        Config = config,
    };
}
