using System.Net;
using System.Net.NetworkInformation;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>
/// Reads one entry of a VIP's <c>backends</c>. What a backend may carry depends on the VIP's mode:
/// a MAC under <c>dsr-l2</c> (required there), a port under <c>nat</c>; either elsewhere is an error.
/// </summary>
internal static class BackendReader
{
    /// <param name="mode">The VIP's mode; <c>null</c> when it could not be read (mode rules are then skipped).</param>
    public static ParsedBackend? Read(ConfigNode node, string path, ForwardingMode? mode, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics, "a backend (a mapping with at least an address)") is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        ConfigNode? addressNode = reader.Required("address", "the backend's IPv4 or IPv6 address");
        IPAddress? address = addressNode is null ? null : ConfigValues.UnicastAddress(addressNode, reader.Member("address"), diagnostics);

        uint? weight = BackendConfig.DefaultWeight;
        if (reader.Optional("weight") is { } weightNode)
            weight = (uint?)ConfigValues.Integer(weightNode, reader.Member("weight"), diagnostics, 0, BackendConfig.MaxWeight);

        PhysicalAddress? mac = null;
        ConfigNode? macNode = reader.Optional("mac");
        if (macNode is not null)
        {
            if (mode is { } m && m != ForwardingMode.DsrL2)
                diagnostics.Error(reader.Member("mac"), macNode, $"a backend MAC is used only by dsr-l2; this VIP forwards with {ConfigNames.Of(ConfigNames.Modes, m)}, which sends frames to router_mac");
            else
                mac = ConfigValues.UnicastMac(macNode, reader.Member("mac"), diagnostics);
        }
        else if (mode == ForwardingMode.DsrL2)
        {
            diagnostics.Error(reader.Member("mac"), mapping, "missing; dsr-l2 sends frames straight to the backend: give its MAC on the local segment, e.g. 02:00:00:00:00:0a");
        }

        ushort? port = null;
        ConfigNode? portNode = reader.Optional("port");
        if (portNode is not null)
        {
            if (mode is { } m && m != ForwardingMode.Nat)
                diagnostics.Error(reader.Member("port"), portNode, $"a backend port is used only by nat; under {ConfigNames.Of(ConfigNames.Modes, m)} packets keep the VIP's destination port");
            else
                port = ConfigValues.Port(portNode, reader.Member("port"), diagnostics, min: 1);
        }

        uint? serverId = null;
        if (reader.Optional("server_id") is { } serverIdNode)
            serverId = QuicConfigReader.ReadServerId(serverIdNode, reader.Member("server_id"), diagnostics);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        var backend = new BackendConfig { Address = address!, Weight = weight!.Value, Mac = mac, Port = port, ServerId = serverId };
        return new ParsedBackend(backend, path, mapping, addressNode!, portNode);
    }
}
