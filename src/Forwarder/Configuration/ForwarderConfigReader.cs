using System.Net.NetworkInformation;

namespace Forwarder.Configuration;

/// <summary>Reads the top level of the file into a <see cref="ForwarderConfig"/>, reporting every problem on the way.</summary>
internal static class ForwarderConfigReader
{
    public static ForwarderConfig? Read(ConfigNode root, ConfigDiagnostics diagnostics, IReadOnlyCollection<int>? availableCpus) =>
        Read(root, diagnostics, availableCpus, out _);

    /// <param name="loadedVips">What reading the VIPs found, when the file is valid: edits of the configuration reuse it.</param>
    public static ForwarderConfig? Read(ConfigNode root, ConfigDiagnostics diagnostics, IReadOnlyCollection<int>? availableCpus, out LoadedVips? loadedVips)
    {
        loadedVips = null;
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
        List<VipAsRead>? readings = null;
        ConfigNode? vipsNode = reader.Required("vips", "the list of VIPs");
        if (vipsNode is not null)
        {
            readings = ReadVips(vipsNode, gue, diagnostics);
            vips = readings?.Select(r => r.Vip).ToList();
            if (vips is not null)
                CheckAcrossVips(vips, limits, vipsNode, diagnostics);
        }

        AnnounceConfig? announce = null;
        ConfigNode? announceNode = reader.Optional("announce");
        if (announceNode is not null)
            announce = AnnounceReader.Read(announceNode, "announce", diagnostics);

        if (announce is not null && vips is not null)
            AnnounceReader.CheckDigestVips(announce, vips.Select(v => v.Config).ToList(), announceNode!, diagnostics);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount > 0)
            return null;
        loadedVips = new LoadedVips(vipsNode!, readings!);
        return new ForwarderConfig
        {
            Interface = iface!,
            RouterMac = routerMac!,
            Mtu = mtu!.Value,
            Gue = gue!,
            Vips = vips!.Select(v => v.Config).ToEquatableArray(),
            Limits = limits!,
            Announce = announce,
        };
    }

    /// <summary>The checks that look at every VIP at once: duplicates, shared nat reply sources, the tables' memory.</summary>
    public static void CheckAcrossVips(IReadOnlyList<ParsedVip> vips, LimitsConfig? limits, ConfigNode vipsNode, ConfigDiagnostics diagnostics)
    {
        VipListChecks.CheckDuplicates(vips, diagnostics);
        VipListChecks.CheckNatReplySources(vips, diagnostics);
        if (limits is not null)
            CheckTableMemory(vips, limits, vipsNode, diagnostics);
    }

    private static void CheckTableMemory(IReadOnlyList<ParsedVip> vips, LimitsConfig limits, ConfigNode vipsNode, ConfigDiagnostics diagnostics)
    {
        long needed = TableMemory.Estimate(vips.Select(v => v.Config));
        if (needed <= limits.TableMemory)
            return;
        diagnostics.Error("vips", vipsNode,
            $"the tables of these {vips.Count} VIP(s) need up to {ByteSize.Approximate(needed)} ({needed} bytes), more than limits.table_memory " +
            $"({ByteSize.Exact(limits.TableMemory)}); give smaller maglev ring sizes, fewer VIPs, or raise limits.table_memory");
    }

    private static List<VipAsRead>? ReadVips(ConfigNode node, GueConfig? gue, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Sequence(node, "vips", diagnostics, "a list of VIPs") is not { } sequence)
            return null;
        if (sequence.Items.Count == 0)
            diagnostics.Warning("vips", node, "no VIPs: every packet goes to the kernel");
        var readings = new List<VipAsRead>(sequence.Items.Count);
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadVip(sequence.Items[i], i, gue, diagnostics) is { } reading)
                readings.Add(reading);
        }
        return readings;
    }

    /// <summary>Reads the VIP at <paramref name="index"/> of the list, keeping the warnings it gives with it.</summary>
    public static VipAsRead? ReadVip(ConfigNode node, int index, GueConfig? gue, ConfigDiagnostics diagnostics)
    {
        var own = new ConfigDiagnostics();
        ParsedVip? vip = VipReader.Read(node, ConfigPath.Item("vips", index), gue, own);
        diagnostics.Include(own);
        return vip is null ? null : new VipAsRead(vip, own.Warnings);
    }
}
