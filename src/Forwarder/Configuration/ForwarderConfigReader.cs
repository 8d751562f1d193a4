using System.Net.NetworkInformation;

namespace Forwarder.Configuration;

/// <summary>Reads the top level of the file into a <see cref="ForwarderConfig"/>, reporting every problem on the way.</summary>
internal static class ForwarderConfigReader
{
    public static ForwarderConfig? Read(ConfigNode root, ConfigDiagnostics diagnostics, IReadOnlyCollection<int>? availableCpus)
    {
        if (ConfigValues.Mapping(root, "", diagnostics, "a mapping with interface, router_mac and vips at the top level") is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, "", diagnostics, allowExtensionKeys: true);

        InterfaceConfig? iface = null;
        if (reader.Required("interface", "the interface section, e.g. interface: { name: eth0 }") is { } interfaceNode)
            iface = InterfaceReader.Read(interfaceNode, "interface", diagnostics, availableCpus);

        PhysicalAddress? routerMac = null;
        if (reader.Required("router_mac", "the MAC address of the next hop (the router), e.g. 02:00:00:00:00:01") is { } macNode)
            routerMac = ConfigValues.UnicastMac(macNode, "router_mac", diagnostics);

        int? mtu = ForwarderConfig.DefaultMtu;
        if (reader.Optional("mtu") is { } mtuNode)
            mtu = (int?)ConfigValues.Integer(mtuNode, "mtu", diagnostics, ForwarderConfig.MinMtu, ForwarderConfig.MaxMtu);

        GueConfig? gue = GueConfig.Default;
        if (reader.Optional("gue") is { } gueNode)
            gue = GueReader.Read(gueNode, "gue", diagnostics);

        LimitsConfig? limits = LimitsConfig.Default;
        if (reader.Optional("limits") is { } limitsNode)
            limits = LimitsReader.Read(limitsNode, "limits", diagnostics);

        List<ParsedVip>? vips = null;
        if (reader.Required("vips", "the list of VIPs") is { } vipsNode)
        {
            vips = ReadVips(vipsNode, gue, diagnostics);
            if (vips is not null && limits is not null)
                CheckTableMemory(vips, limits, vipsNode, diagnostics);
        }

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount > 0)
            return null;
        return new ForwarderConfig
        {
            Interface = iface!,
            RouterMac = routerMac!,
            Mtu = mtu!.Value,
            Gue = gue!,
            Vips = vips!.Select(v => v.Config).ToEquatableArray(),
            Limits = limits!,
        };
    }

    private static void CheckTableMemory(List<ParsedVip> vips, LimitsConfig limits, ConfigNode vipsNode, ConfigDiagnostics diagnostics)
    {
        long needed = TableMemory.Estimate(vips.Select(v => v.Config));
        if (needed <= limits.TableMemory)
            return;
        diagnostics.Error("vips", vipsNode,
            $"the tables of these {vips.Count} VIP(s) need up to {ByteSize.Approximate(needed)} ({needed} bytes), more than limits.table_memory " +
            $"({ByteSize.Exact(limits.TableMemory)}); give smaller maglev ring sizes, fewer VIPs, or raise limits.table_memory");
    }

    private static List<ParsedVip>? ReadVips(ConfigNode node, GueConfig? gue, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Sequence(node, "vips", diagnostics, "a list of VIPs") is not { } sequence)
            return null;
        if (sequence.Items.Count == 0)
            diagnostics.Warning("vips", node, "no VIPs: every packet goes to the kernel");
        var vips = new List<ParsedVip>(sequence.Items.Count);
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            if (VipReader.Read(sequence.Items[i], ConfigPath.Item("vips", i), gue, diagnostics) is { } vip)
                vips.Add(vip);
        }
        VipListChecks.CheckDuplicates(vips, diagnostics);
        VipListChecks.CheckNatReplySources(vips, diagnostics);
        return vips;
    }
}
