using System.Net;

namespace Forwarder.HostAddresses;

/// <summary>The XDP program's map of this host's own addresses (see bpf/redirect.c's <c>host_addrs</c>).</summary>
public interface IHostAddressMap
{
    /// <summary>Packets from nat backends to this address go to the kernel (the map holds it as an address-level key: port 0, protocol 0).</summary>
    void AddHostAddress(IPAddress address);

    void RemoveHostAddress(IPAddress address);
}
