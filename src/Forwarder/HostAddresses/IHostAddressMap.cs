using Forwarder.Hosting;

namespace Forwarder.HostAddresses;

/// <summary>The XDP program's map of this host's own addresses (see bpf/redirect.c's <c>host_addrs</c>).</summary>
public interface IHostAddressMap
{
    /// <summary>Packets from nat backends to this address (an address-level key: port 0, protocol 0) go to the kernel.</summary>
    void AddHostAddress(VipMapKey address);

    void RemoveHostAddress(VipMapKey address);
}
