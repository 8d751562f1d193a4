using System.Net;
using System.Net.Sockets;

namespace Forwarder.Configuration;

/// <summary>Reads the <c>gue</c> section: the outer destination port and an outer source address per family.</summary>
internal static class GueReader
{
    public static GueConfig? Read(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics) is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        ushort? port = GueConfig.DefaultPort;
        if (reader.Optional("port") is { } portNode)
            port = ConfigValues.Port(portNode, reader.Member("port"), diagnostics, min: 1);
        IPAddress? sourceV4 = ReadSource(reader, "source_v4", AddressFamily.InterNetwork, diagnostics);
        IPAddress? sourceV6 = ReadSource(reader, "source_v6", AddressFamily.InterNetworkV6, diagnostics);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new GueConfig { Port = port!.Value, SourceV4 = sourceV4, SourceV6 = sourceV6 };
    }

    private static IPAddress? ReadSource(ConfigMappingReader reader, string key, AddressFamily family, ConfigDiagnostics diagnostics)
    {
        if (reader.Optional(key) is not { } node)
            return null;
        IPAddress? address = ConfigValues.UnicastAddress(node, reader.Member(key), diagnostics);
        if (address is not null && address.AddressFamily != family)
        {
            string wanted = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
            diagnostics.Error(reader.Member(key), node, $"{address} is not an {wanted} address; {key} is the outer source towards {wanted} backends");
            return null;
        }
        return address;
    }
}
