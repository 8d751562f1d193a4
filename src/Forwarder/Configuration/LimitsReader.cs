namespace Forwarder.Configuration;

/// <summary>Reads the <c>limits</c> section: <c>table_memory</c>, a size in bytes (<c>2GiB</c>, <c>512MiB</c>, or a number).</summary>
internal static class LimitsReader
{
    public static LimitsConfig? Read(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics) is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        long? tableMemory = LimitsConfig.DefaultTableMemory;
        if (reader.Optional("table_memory") is { } memoryNode)
            tableMemory = ReadSize(memoryNode, reader.Member("table_memory"), diagnostics, LimitsConfig.MinTableMemory, LimitsConfig.MaxTableMemory);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new LimitsConfig { TableMemory = tableMemory!.Value };
    }

    private static long? ReadSize(ConfigNode node, string path, ConfigDiagnostics diagnostics, long min, long max)
    {
        string expected = $"a size from {ByteSize.Exact(min)} to {ByteSize.Exact(max)}, e.g. 2GiB or 512MiB (units B, KiB, MiB, GiB, TiB)";
        if (ConfigValues.Text(node, path, diagnostics, expected) is not { } text)
            return null;
        if (ByteSize.Parse(text) is not { } size)
        {
            diagnostics.Error(path, node, $"expected {expected}, got '{text}'");
            return null;
        }
        if (size < min || size > max)
        {
            diagnostics.Error(path, node, $"{text} is out of range; expected {expected}");
            return null;
        }
        return size;
    }
}
