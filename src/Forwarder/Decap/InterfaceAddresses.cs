using System.Net;
using System.Net.Sockets;

namespace Forwarder.Decap;

/// <summary>The unicast addresses configured on an interface of this process's network namespace (IPv6 link-local left out).</summary>
internal static class InterfaceAddresses
{
    public static IReadOnlyList<IPAddress> Of(string interfaceName)
    {
        System.Net.NetworkInformation.NetworkInterface? found = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(nic => nic.Name == interfaceName);
        if (found is null)
            return [];
        return found.GetIPProperties().UnicastAddresses
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 && a.ScopeId != 0 ? new IPAddress(a.GetAddressBytes()) : a)
            .Distinct()
            .ToArray();
    }
}
