using System.Net;
using Forwarder.Configuration;

namespace Forwarder.Announce;

/// <summary>
/// Refuses to announce a VIP that is an address of this node: the node's own kernel would answer it, and announcing
/// it would draw every router's traffic for that address to this one node's stack.
/// </summary>
public static class LocalVipCheck
{
    /// <summary>The message naming the first VIP that is a local address, or null when none is.</summary>
    public static string? Check(IEnumerable<VipConfig> vips, IReadOnlyDictionary<IPAddress, string> localAddresses)
    {
        foreach (VipConfig vip in vips)
        {
            if (localAddresses.TryGetValue(vip.Address, out string? device))
            {
                return $"VIP {AnnounceConfig.VipName(vip)} is an address of this node (on {device}); announcing it would send its traffic to the node's own stack. " +
                    $"Remove {vip.Address} from {device}, or the VIP from the configuration (or leave out announce:)";
            }
        }
        return null;
    }

    /// <summary>Every unicast address of the node's interfaces (in the forwarder's network namespace) → its interface.</summary>
    public static IReadOnlyDictionary<IPAddress, string> LocalAddresses()
    {
        var addresses = new Dictionary<IPAddress, string>();
        foreach (System.Net.NetworkInformation.NetworkInterface device in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (System.Net.NetworkInformation.UnicastIPAddressInformation address in device.GetIPProperties().UnicastAddresses)
                addresses.TryAdd(address.Address, device.Name);
        }
        return addresses;
    }
}
