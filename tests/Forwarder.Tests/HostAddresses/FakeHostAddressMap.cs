using System.Net;
using Forwarder.HostAddresses;
using Forwarder.Hosting;
using Forwarder.Steering;

namespace Forwarder.Tests.HostAddresses;

/// <summary>The XDP program's host-address map, in memory; it can be told to fail its next updates.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class FakeHostAddressMap : IHostAddressMap
{
    private readonly object _gate = new();
    private readonly HashSet<VipMapKey> _keys = [];

    /// <summary>Updates that will still throw before the map works again.</summary>
    public int FailuresLeft { get; set; }

    public bool Contains(IPAddress address)
    {
        lock (_gate) return _keys.Contains(VipMapKey.ForAddress(address));
    }

    public int Count
    {
        get { lock (_gate) return _keys.Count; }
    }

    public void AddHostAddress(IPAddress address)
    {
        lock (_gate)
        {
            FailIfTold();
            _keys.Add(VipMapKey.ForAddress(address));
        }
    }

    public void RemoveHostAddress(IPAddress address)
    {
        lock (_gate)
        {
            FailIfTold();
            _keys.Remove(VipMapKey.ForAddress(address));
        }
    }

    private void FailIfTold()
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new AfXdp.XdpException("bpf_map_update_elem", 12, "host_addrs");
        }
    }
}
