namespace Forwarder.Replay;

/// <summary>The capture link types replay knows by name. Only Ethernet frames can be replayed: they are what a NIC queue delivers.</summary>
public static class LinkTypes
{
    public const uint Ethernet = 1;

    private const uint LinuxSll = 113, LinuxSll2 = 276;

    public static string Name(uint linkType) => linkType switch
    {
        0 => "NULL",
        Ethernet => "ETHERNET",
        101 => "RAW",
        105 => "IEEE802_11",
        LinuxSll => "LINUX_SLL",
        127 => "IEEE802_11_RADIOTAP",
        228 => "IPV4",
        229 => "IPV6",
        LinuxSll2 => "LINUX_SLL2",
        _ => "unknown",
    };

    /// <summary>Refuses any link type but Ethernet, naming it; <paramref name="where"/> says whose link type it is (e.g. "interface 1").</summary>
    public static void RequireEthernet(string file, uint linkType, string where = "")
    {
        if (linkType == Ethernet)
            return;
        string hint = linkType is LinuxSll or LinuxSll2 ? "; capture on one interface (tcpdump -i eth0 -w FILE), not on 'any'" : "";
        string subject = where.Length > 0 ? $"{where} has link type" : "link type";
        throw new PcapException($"{file}: {subject} {linkType} ({Name(linkType)}), not supported: replay reads Ethernet captures (link type 1) only{hint}");
    }
}
