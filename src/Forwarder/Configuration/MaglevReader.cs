using Forwarder.Maglev;

namespace Forwarder.Configuration;

/// <summary>Reads a VIP's <c>maglev</c> section: the fill variant and a prime ring size.</summary>
internal static class MaglevReader
{
    public static MaglevConfig? Read(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics) is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        MaglevVersion? version = MaglevVersion.V2;
        if (reader.Optional("version") is { } versionNode)
            version = ConfigValues.Choice(versionNode, reader.Member("version"), diagnostics, ConfigNames.MaglevVersions);

        long? ringSize = MaglevRingSize.Default;
        if (reader.Optional("ring_size") is { } sizeNode)
        {
            ringSize = ConfigValues.Integer(sizeNode, reader.Member("ring_size"), diagnostics, MaglevRingSize.Min, MaglevRingSize.Max);
            if (ringSize is { } size && !MaglevRingSize.IsValid((int)size))
            {
                diagnostics.Error(reader.Member("ring_size"), sizeNode,
                    $"{size} is not prime; a Maglev ring size must be a prime, e.g. {MaglevRingSize.Default} (the default) or {MaglevRingSize.Large}");
            }
        }

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new MaglevConfig { Version = version!.Value, RingSize = (int)ringSize!.Value };
    }
}
