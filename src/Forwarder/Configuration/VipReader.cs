using System.Net;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>Reads one entry of <c>vips</c>: what it matches, how it forwards, its Maglev table, backends and health check.</summary>
internal static class VipReader
{
    /// <param name="gue">The <c>gue</c> section, or <c>null</c> when it had errors (GUE source checks are then skipped).</param>
    public static ParsedVip? Read(ConfigNode node, string path, GueConfig? gue, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics, "a VIP (a mapping with at least an address and backends)") is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        IPAddress? address = null;
        if (reader.Required("address", "the VIP's IPv4 or IPv6 address") is { } addressNode)
            address = ConfigValues.UnicastAddress(addressNode, reader.Member("address"), diagnostics);

        ushort? port = 0;
        if (reader.Optional("port") is { } portNode)
            port = ConfigValues.Port(portNode, reader.Member("port"), diagnostics);

        VipProtocol? protocol = VipProtocol.Any;
        if (reader.Optional("protocol") is { } protocolNode)
            protocol = ConfigValues.Choice(protocolNode, reader.Member("protocol"), diagnostics, ConfigNames.Protocols);
        bool identityIsValid = diagnostics.ErrorCount == errorsBefore;

        ForwardingMode? mode = ForwardingMode.Ipip;
        if (reader.Optional("mode") is { } modeNode)
            mode = ConfigValues.Choice(modeNode, reader.Member("mode"), diagnostics, ConfigNames.Modes);

        VipFlags? flags = VipFlags.None;
        if (reader.Optional("flags") is { } flagsNode)
        {
            flags = ReadFlags(flagsNode, reader.Member("flags"), diagnostics);
            if (flags is { } read && port is { } flaggedPort)
                VipFlagChecks.Check(read, flaggedPort, flagsNode, reader.Member("flags"), diagnostics);
        }

        bool? quic = false;
        if (reader.Optional("quic") is { } quicNode)
            quic = QuicConfigReader.ReadSwitch(quicNode, reader.Member("quic"), diagnostics);

        MaglevConfig? maglev = MaglevConfig.Default;
        if (reader.Optional("maglev") is { } maglevNode)
            maglev = MaglevReader.Read(maglevNode, reader.Member("maglev"), diagnostics);

        List<ParsedBackend>? backends = null;
        int errorsBeforeBackends = diagnostics.ErrorCount;
        if (reader.Required("backends", "the list of backends (an empty list [] is allowed: the VIP then drops its packets)") is { } backendsNode)
            backends = ReadBackends(backendsNode, reader.Member("backends"), mode, diagnostics);
        bool allBackendsRead = diagnostics.ErrorCount == errorsBeforeBackends;

        HealthCheckConfig? healthCheck = null;
        if (reader.Optional("healthcheck") is { } healthNode)
        {
            bool probePortKnown = port != 0 || (mode == ForwardingMode.Nat && backends is { Count: > 0 } && backends.All(b => b.Config.Port is not null));
            healthCheck = HealthCheckReader.Read(healthNode, reader.Member("healthcheck"), probePortKnown, diagnostics);
        }

        VipFlowTable? flowTable = VipFlowTable.Remember;
        if (reader.Optional("flow_table") is { } flowTableNode)
            flowTable = ConfigValues.Choice(flowTableNode, reader.Member("flow_table"), diagnostics, ConfigNames.FlowTableUses);
        EquatableArray<IPNetwork>? allowedSources = null;
        if (reader.Optional("allowed_sources") is { } sourcesNode)
            allowedSources = AllowedSourcesReader.Read(sourcesNode, reader.Member("allowed_sources"), address, diagnostics);

        reader.RejectUnknownKeys();
        if (address is null || backends is null)
            return null;
        var vip = new VipConfig
        {
            Address = address,
            Port = port ?? 0,
            Protocol = protocol ?? VipProtocol.Any,
            Mode = mode ?? ForwardingMode.Ipip,
            Flags = flags ?? VipFlags.None,
            Maglev = maglev ?? MaglevConfig.Default,
            FlowTable = flowTable ?? VipFlowTable.Remember,
            Backends = backends.Select(b => b.Config).ToEquatableArray(),
            HealthCheck = healthCheck,
            AllowedSources = allowedSources,
            Quic = quic ?? false,
        };
        var parsed = new ParsedVip(vip, path, mapping, identityIsValid);
        if (mode is not null && port is not null)
            VipBackendChecks.Check(parsed, backends, allBackendsRead, gue, diagnostics);
        if (protocol is not null && quic is not null)
            QuicConfigChecks.Check(parsed, backends, diagnostics);
        return parsed;
    }

    private static List<ParsedBackend>? ReadBackends(ConfigNode node, string path, ForwardingMode? mode, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Sequence(node, path, diagnostics, "a list of backends") is not { } sequence)
            return null;
        var backends = new List<ParsedBackend>(sequence.Items.Count);
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            if (BackendReader.Read(sequence.Items[i], ConfigPath.Item(path, i), mode, diagnostics) is { } backend)
                backends.Add(backend);
        }
        return backends;
    }

    private static VipFlags? ReadFlags(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Sequence(node, path, diagnostics, $"a list of flags ({ConfigNames.List(ConfigNames.Flags)}), e.g. [no_source_port]") is not { } sequence)
            return null;
        VipFlags? flags = VipFlags.None;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            VipFlags? flag = ConfigValues.Choice(sequence.Items[i], ConfigPath.Item(path, i), diagnostics, ConfigNames.Flags);
            flags = flag is null ? null : flags | flag;
        }
        return flags;
    }
}
